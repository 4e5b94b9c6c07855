from __future__ import annotations

import io

import pytest
from PIL import Image

from advisor.consultants.logos import InvalidLogo, check_logo


def raster(size: tuple[int, int], image_format: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, image_format)
    return buffer.getvalue()


SVG_NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'


def test_accepts_png_jpeg_and_plain_svg() -> None:
    assert check_logo(raster((200, 80)), filename="logo.png").kind == "png"
    assert check_logo(raster((20, 20), "JPEG"), filename="logo.jpg").kind == "jpeg"
    svg = f'<svg {SVG_NS} width="10" height="10"><rect width="10" height="10" fill="#123"/></svg>'
    assert check_logo(svg.encode(), filename="logo.svg").kind == "svg"


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "logo.png", "empty"),
        (b"x" * (512 * 1024 + 1), "logo.png", "524,289 bytes; the limit is 524,288 bytes"),
        (b"x" * (600 * 1024), "logo.png", "600 KB; the limit is 512 KB"),
        (raster((2001, 10)), "logo.png", "2000 x 2000"),
        (raster((10, 10), "GIF"), "logo.gif", "PNG, JPEG or SVG"),
        (raster((10, 10), "JPEG"), "logo.png", "name it"),
        (b"MZ\x90\x00not an image", "logo.png", "not a readable"),
        (f"<svg {SVG_NS}><script>alert(1)</script></svg>".encode(), "l.svg", "<script>"),
        (
            f'<svg {SVG_NS}><image xlink:href="http://127.0.0.1/x"/></svg>'.encode(),
            "l.svg",
            "image",
        ),
        (f'<svg {SVG_NS}><a href="https://evil.example/"/></svg>'.encode(), "l.svg", "<a>"),
        (f'<svg {SVG_NS} onload="x()"/>'.encode(), "l.svg", "event handler"),
        (f'<svg {SVG_NS}><rect style="fill:url(http://x/y)"/></svg>'.encode(), "l.svg", "url()"),
        (f"<svg {SVG_NS}><style>@import url(x.css);</style></svg>".encode(), "l.svg", "<style>"),
        (
            f'<!DOCTYPE svg [<!ENTITY a "b">]><svg {SVG_NS}>&a;</svg>'.encode(),
            "l.svg",
            "DOCTYPE",
        ),
        (
            f'<?xml-stylesheet href="http://x/a.css"?><svg {SVG_NS}/>'.encode(),
            "l.svg",
            "processing instructions",
        ),
        (b"<html><body>hi</body></html>", "l.svg", "not an SVG"),
        (b"<svg", "l.svg", "well-formed"),
    ],
)
def test_refuses_with_a_reason(data: bytes, filename: str, message: str) -> None:
    with pytest.raises(InvalidLogo, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_logo(data, filename=filename)
