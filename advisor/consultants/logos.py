"""Is an uploaded logo a real, small PNG, JPEG or SVG that the PDF may show?

The logo ends up inside every PDF a consultant hands out, rendered by
WeasyPrint. A file named ``logo.png`` may be anything, so the content is
checked, not the name: raster images are opened with Pillow and their
dimensions read from the header before any pixel is decoded (a
decompression bomb never gets decoded); SVG is parsed with defusedxml with
DTDs, entities and external references forbidden, then every element and
attribute is checked so the renderer is never asked to run a script or
fetch anything (an ``<image href="http://...">`` inside an SVG is a
server-side request forgery vector).

Pure: no Django import; the model's validator wraps :func:`check_logo`.
"""

from __future__ import annotations

import io
import re
import struct
from dataclasses import dataclass
from xml.etree.ElementTree import Element, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError
from PIL import Image, UnidentifiedImageError

MAX_LOGO_BYTES = 512 * 1024
MAX_LOGO_PIXELS_PER_SIDE = 2000
MAX_SVG_ELEMENTS = 5000

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
# Elements that run code, embed other documents or pull in resources.
_FORBIDDEN_SVG_ELEMENTS = frozenset(
    {
        "script",
        "foreignobject",
        "iframe",
        "embed",
        "object",
        "image",
        "use",
        "feimage",
        "style",
        "handler",
        "listener",
        "set",
        "animate",
        "animatemotion",
        "animatetransform",
        "a",
    }
)
_LOCAL_REFERENCE = re.compile(r"^\s*#[\w.:-]*\s*$")
_URL_FUNCTION = re.compile(r"url\s*\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)
_FORMATS = {"PNG": "png", "JPEG": "jpeg"}
_EXTENSIONS = {"png": {".png"}, "jpeg": {".jpg", ".jpeg"}, "svg": {".svg"}}


class InvalidLogo(ValueError):
    """Why the file is refused, in words for the form field."""


@dataclass(frozen=True)
class LogoInfo:
    kind: str  # "png", "jpeg" or "svg"
    width: int | None = None
    height: int | None = None


def check_logo(data: bytes, *, filename: str = "", size: int | None = None) -> LogoInfo:
    """Accept ``data`` as a logo or raise :class:`InvalidLogo` saying why.

    ``size`` is the file's real size when ``data`` holds only its first
    bytes (callers read at most ``MAX_LOGO_BYTES + 1``): the message states
    the real size, not the part read.
    """
    size = len(data) if size is None else max(size, len(data))
    if size > MAX_LOGO_BYTES:
        shown, limit = format_size(size), format_size(MAX_LOGO_BYTES)
        if shown == limit:  # just over: rounding would say "512 KB; the limit is 512 KB"
            shown, limit = f"{size:,} bytes", f"{MAX_LOGO_BYTES:,} bytes ({limit})"
        raise InvalidLogo(f"The logo is {shown}; the limit is {limit}.")
    if not data:
        raise InvalidLogo("The file is empty.")
    info = _check_svg(data) if _looks_like_xml(data) else _check_raster(data)
    extension = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if filename and extension not in _EXTENSIONS[info.kind]:
        allowed = " or ".join(sorted(_EXTENSIONS[info.kind]))
        raise InvalidLogo(f"The file is a {info.kind.upper()} image: name it {allowed}.")
    return info


def format_size(size: int) -> str:
    """Bytes as people read them: "50.0 MB", "600 KB"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):,.1f} MB"
    return f"{size / 1024:,.0f} KB"


def _looks_like_xml(data: bytes) -> bool:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<")


def _check_raster(data: bytes) -> LogoInfo:
    try:
        with Image.open(io.BytesIO(data)) as image:
            return _check_opened(image)
    except InvalidLogo:
        raise
    except Image.DecompressionBombError:
        # Pillow refuses to open an image whose header claims a huge size
        # (before decoding anything): read the header itself, for the message.
        _check_dimensions(*_header_size(data))
        raise InvalidLogo("The file is not a readable PNG, JPEG or SVG image.") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise InvalidLogo("The file is not a readable PNG, JPEG or SVG image.") from None


def _header_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG or JPEG header, without Pillow's size guard."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    from PIL import JpegImagePlugin

    try:  # the plugin class alone skips Image.open's bomb check
        with JpegImagePlugin.JpegImageFile(io.BytesIO(data)) as image:
            return image.size
    except (SyntaxError, OSError, ValueError):
        return (0, 0)


def _check_opened(image: Image.Image) -> LogoInfo:
    kind = _FORMATS.get(image.format or "")
    if kind is None:
        raise InvalidLogo("Upload a PNG, JPEG or SVG image.")
    width, height = image.size  # read from the header: nothing decoded yet
    _check_dimensions(width, height)
    image.verify()  # checksums and structure, still without decoding pixels
    return LogoInfo(kind, width, height)


def _check_dimensions(width: int, height: int) -> None:
    if width < 1 or height < 1:
        raise InvalidLogo("The image has no pixels.")
    if max(width, height) > MAX_LOGO_PIXELS_PER_SIDE:
        raise InvalidLogo(
            f"The logo is {width} x {height} pixels; the limit is "
            f"{MAX_LOGO_PIXELS_PER_SIDE} x {MAX_LOGO_PIXELS_PER_SIDE}."
        )


class _RefusingTreeBuilder(TreeBuilder):
    """Builds the tree; refuses processing instructions wherever they are.

    ``<?xml-stylesheet href=...?>`` before the root would be dropped silently
    by a plain TreeBuilder, so it must be caught here.
    """

    def pi(self, target: str, text: str | None = None) -> Element:
        raise InvalidLogo("The SVG contains processing instructions, which logos may not use.")


def _check_svg(data: bytes) -> LogoInfo:
    parser = DefusedXMLParser(
        target=_RefusingTreeBuilder(),
        forbid_dtd=True,
        forbid_entities=True,
        forbid_external=True,
    )
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException:
        raise InvalidLogo(
            "The SVG declares a DOCTYPE or entities, which logos may not use."
        ) from None
    except InvalidLogo:
        raise
    except (ParseError, ValueError):
        raise InvalidLogo("The file is not a well-formed SVG image.") from None
    if root.tag != f"{{{SVG_NAMESPACE}}}svg":
        raise InvalidLogo("The file is XML but not an SVG image (the root must be <svg>).")
    elements = list(root.iter())
    if len(elements) > MAX_SVG_ELEMENTS:
        raise InvalidLogo(f"The SVG has more than {MAX_SVG_ELEMENTS:,} elements.")
    for element in elements:
        _check_svg_element(element)
    return LogoInfo("svg")


def _check_svg_element(element: Element) -> None:
    name = _local_name(element.tag)
    if not element.tag.startswith(f"{{{SVG_NAMESPACE}}}"):
        raise InvalidLogo(f"The SVG contains a non-SVG element <{name}>.")
    if name.lower() in _FORBIDDEN_SVG_ELEMENTS:
        raise InvalidLogo(
            f"The SVG contains <{name}>: logos may not use scripts, links, styles or "
            "embedded or external images."
        )
    for attribute, value in element.attrib.items():
        attribute_name = _local_name(attribute).lower()
        if attribute_name.startswith("on"):
            raise InvalidLogo(f"The SVG has an event handler ({attribute_name}).")
        if attribute_name == "href" and not _LOCAL_REFERENCE.match(value):
            raise InvalidLogo("The SVG refers to an external resource (href).")
        for target in _URL_FUNCTION.findall(value):
            if not target.startswith("#"):
                raise InvalidLogo("The SVG refers to an external resource (url()).")


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
