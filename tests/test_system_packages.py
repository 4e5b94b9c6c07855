"""`make test` on a bare machine: tools/system-packages installs or names the one command."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tools" / "system-packages"


def run(*prefix: str, chromium: str):
    return subprocess.run(
        [*prefix, str(SCRIPT)],
        env={**os.environ, "CHROMIUM_PATH": chromium},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_nothing_to_do_when_everything_is_installed():
    if not (Path("/usr/bin/chromium").exists() and shutil.which("pdftoppm")):
        pytest.skip("this machine lacks them: the other test covers it")
    result = run(chromium="/usr/bin/chromium")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root to drop to a plain user"
)
def test_a_plain_user_is_stopped_at_once_with_the_command_to_run():
    # As "nobody", with no Chromium where it is looked for: apt-get is not
    # the user's to run, so the script stops (exit 2) and says what to run.
    result = run(
        "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
        chromium="/nonexistent/chromium",
    )  # fmt: skip
    assert result.returncode == 2
    assert "not installed: chromium" in result.stderr
    assert "sudo apt-get install -y chromium" in result.stderr
