"""A WeasyPrint URL fetcher that reads local files under a few roots and nothing else.

WeasyPrint fetches every stylesheet, image, font and ``<link rel=attachment>``
through its URL fetcher. The default one follows ``http(s)://`` (server-side
request forgery), redirects, ``file:///etc/passwd`` (which ``rel=attachment``
would then embed in the PDF) and ``data:``. This one never calls urllib: it
maps ``file://`` URLs to paths, resolves symlinks and ``..``, and serves the
file only when the real path lies under an allowed root (the static and
media roots). It also serves a few in-memory documents the report itself
generated (the chart SVG, under ``report:`` URLs, matched exactly).
Everything else raises :class:`RefusedURLError`, a ``FatalURLFetchingError``,
so the render stops instead of quietly dropping the resource: a refused URL
is a bug or an attack, never expected.

Pure: no Django import, so the render process can use it without settings.
See https://doc.courtbouillon.org/weasyprint/stable/first_steps.html#security
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

# Larger than any stylesheet, font or logo the report uses; a cap so that a
# huge file under media/ cannot exhaust the render process's memory.
MAX_RESOURCE_BYTES = 8 * 1024 * 1024

_CONTENT_TYPES = {
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
}


class RefusedURLError(FatalURLFetchingError):
    """A URL the report may not fetch; stops the render (WeasyPrint re-raises it)."""


class LockedDownURLFetcher(URLFetcher):
    """Serve ``file://`` URLs under ``allowed_roots``; refuse every other URL."""

    def __init__(
        self,
        *,
        allowed_roots: Iterable[Path | str],
        resources: Mapping[str, tuple[bytes, str]] | None = None,
        max_bytes: int = MAX_RESOURCE_BYTES,
    ) -> None:
        # The base class builds a urllib opener; with only "file" allowed,
        # no redirects and failures fatal, even a call that slipped past
        # fetch() below could not reach the network.
        super().__init__(
            timeout=1, allowed_protocols=("file",), allow_redirects=False, fail_on_errors=True
        )
        # strict=False: a root that does not exist yet (media/ on a fresh
        # checkout) simply matches nothing.
        self.allowed_roots = tuple(Path(root).resolve() for root in allowed_roots)
        self.resources = dict(resources or {})
        self.max_bytes = max_bytes
        self.fetched: list[str] = []

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        if url in self.resources:
            body, content_type = self.resources[url]
            self.fetched.append(url)
            return URLFetcherResponse(url, body, {"Content-Type": content_type})
        path = self.resolve(url)
        with path.open("rb") as file:
            body = file.read(self.max_bytes + 1)
        if len(body) > self.max_bytes:
            raise RefusedURLError(f"Refused {url!r}: larger than {self.max_bytes} bytes")
        self.fetched.append(str(path))
        content_type = _CONTENT_TYPES.get(path.suffix.lower()) or (
            mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        )
        return URLFetcherResponse(path.as_uri(), body, {"Content-Type": content_type})

    def open(self, url: object, data: object = None, timeout: object = None) -> URLFetcherResponse:
        # urllib-style entry point: route it through the same checks.
        return self.fetch(getattr(url, "full_url", str(url)))

    def resolve(self, url: str) -> Path:
        """The real path ``url`` names, if it is a regular file under an allowed root."""
        try:
            parts = urlsplit(url)
        except ValueError as error:
            raise RefusedURLError(f"Refused malformed URL {url!r}") from error
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise RefusedURLError(f"Refused {url!r}: only local static and media files")
        raw_path = url2pathname(parts.path)
        if "\x00" in raw_path or not raw_path.startswith("/"):
            raise RefusedURLError(f"Refused {url!r}: not an absolute path")
        try:
            # resolve() follows symlinks and folds "..": the check below is on
            # the file that would really be read.
            path = Path(raw_path).resolve(strict=True)
        except (OSError, RuntimeError) as error:
            raise RefusedURLError(f"Refused {url!r}: no such file") from error
        if not any(path.is_relative_to(root) for root in self.allowed_roots):
            raise RefusedURLError(f"Refused {url!r}: outside the static and media roots")
        if not path.is_file():
            raise RefusedURLError(f"Refused {url!r}: not a regular file")
        return path
