"""Uploaded files are bounded while they are read, not after they are stored.

Django streams a multipart upload through its upload handlers into memory
or a temporary file, whatever its size; a form validator sees the file only
once all of it has arrived. This handler, first in ``FILE_UPLOAD_HANDLERS``,
passes each file's chunks on until the file exceeds its route's limit, then
swallows (and counts) the rest: nothing past the limit is stored anywhere,
and the view receives an empty file that knows its real size, so its
message can state it ("50.0 MB; the limit is 512 KB").

The limit is the route's entry in ``UPLOAD_MAX_BYTES_BY_ROUTE`` (by URL
name: the usage export's 10 MB), else ``FILE_UPLOAD_MAX_FILE_BYTES``. The
views read their limit from the same place (:func:`upload_limit`), so the
handler never cuts off a file the view would have accepted.
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest
from django.urls import Resolver404, resolve


def upload_limit(route: str | None) -> int:
    """The most bytes one file may have on the route named ``route`` (``app:name``)."""
    by_route: dict[str, int] = getattr(settings, "UPLOAD_MAX_BYTES_BY_ROUTE", {})
    if route is not None and route in by_route:
        return int(by_route[route])
    return int(settings.FILE_UPLOAD_MAX_FILE_BYTES)


def route_of(request: HttpRequest | None) -> str | None:
    """The URL name the request goes to (``None`` without a request or a match)."""
    if request is None:
        return None
    match = getattr(request, "resolver_match", None)
    if match is None:
        # The body can be parsed before the view is resolved (a middleware
        # reading request.POST): resolve the path then.
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
    return str(match.view_name)


class OversizedUpload(InMemoryUploadedFile):
    """A file refused while it was read: no content, its real ``size``."""

    def __init__(self, *, name: str, content_type: str, size: int, charset: str | None) -> None:
        super().__init__(io.BytesIO(b""), "file", name, content_type, size, charset)


class SizeLimitedUploadHandler(FileUploadHandler):
    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    @property
    def limit(self) -> int:
        return upload_limit(route_of(self.request))

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        # None: the handlers after this one never see the chunk.
        return None if self.received > self.limit else raw_data

    def file_complete(self, file_size: int) -> UploadedFile[Any] | None:
        if self.received <= self.limit:
            return None  # the next handler (memory or temporary file) completes it
        return OversizedUpload(
            name=self.file_name or "",
            content_type=self.content_type or "",
            size=self.received,
            charset=self.charset,
        )
