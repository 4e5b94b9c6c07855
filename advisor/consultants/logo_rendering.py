"""A logo drawn once, at upload, into a small PNG under a deadline: what every report shows.

A checked SVG can still be slow to draw: one ``<text>`` element of 500 KB
took every report of its consultant past the PDF deadline (issue 15). So a
logo is measured when it is uploaded, not when a report is rendered: it is
drawn (SVG with CairoSVG, PNG and JPEG decoded with Pillow) in a separate
interpreter that is killed at the deadline, scaled to fit
:data:`RENDER_BOX_PIXELS`, and stored as PNG. Reports embed only that PNG,
whose cost to WeasyPrint is small and fixed; the renderer never sees the
uploaded file again.

The child process also caps its own memory, so a drawing that explodes
(cairo allocating gigabytes for a huge canvas) fails fast instead of
swapping the server. Pure: no Django import.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys

from advisor.consultants.logos import InvalidLogo, LogoInfo

DEFAULT_DEADLINE_SECONDS = 3.0
# Printed logos are at most about 50 x 20 mm: 600 x 240 pixels is 300 dpi.
RENDER_BOX_PIXELS = (600, 240)
CHILD_MEMORY_BYTES = 768 * 1024 * 1024
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def render_logo_png(
    data: bytes, info: LogoInfo, *, deadline_seconds: float = DEFAULT_DEADLINE_SECONDS
) -> bytes:
    """The logo as a PNG that fits :data:`RENDER_BOX_PIXELS`, or :class:`InvalidLogo`.

    ``data`` has passed :func:`advisor.consultants.logos.check_logo` (which
    gave ``info``). Refused when drawing takes longer than
    ``deadline_seconds`` or fails.
    """
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, sys.path))}
    try:
        finished = subprocess.run(  # noqa: S603 (our own module, the bytes on stdin)
            [sys.executable, "-m", "advisor.consultants.logo_rendering", info.kind],
            input=data,
            capture_output=True,
            timeout=deadline_seconds,
            env=environment,
            check=False,
        )
    except subprocess.TimeoutExpired:  # run() has killed the child already
        raise InvalidLogo(
            f"The logo took longer than {deadline_seconds:g} s to draw, so reports could not "
            "show it quickly: simplify it (fewer shapes or text), or upload a PNG."
        ) from None
    png = finished.stdout
    if finished.returncode != 0 or not png.startswith(_PNG_SIGNATURE):
        raise InvalidLogo("The logo could not be drawn: upload a simpler SVG, or a PNG.")
    return png


def _draw(kind: str, data: bytes) -> bytes:
    """In the child: the image scaled to fit the box, as PNG bytes."""
    from PIL import Image

    if kind == "svg":
        import cairosvg

        # Both sides given: drawn to fit the box whatever size the SVG
        # declares (its aspect ratio kept, "meet"), then cropped to the ink.
        data = cairosvg.svg2png(
            bytestring=data,
            output_width=RENDER_BOX_PIXELS[0],
            output_height=RENDER_BOX_PIXELS[1],
            # unsafe=False: CairoSVG fetches nothing but data: URLs (the upload
            # check forbids external references already; this is the belt).
            unsafe=False,
        )
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        picture = image.convert("RGBA")
    ink = picture.getbbox()
    if ink is not None:
        picture = picture.crop(ink)
    picture.thumbnail(RENDER_BOX_PIXELS)
    output = io.BytesIO()
    picture.save(output, "PNG", optimize=True)
    return output.getvalue()


def _child_main(kind: str) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY_BYTES, CHILD_MEMORY_BYTES))
    png = _draw(kind, sys.stdin.buffer.read())
    sys.stdout.buffer.write(png)


if __name__ == "__main__":
    _child_main(sys.argv[1])
