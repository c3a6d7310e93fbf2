"""gzip for text responses and versioned, long-cached static files (voice/compression.py)."""

from __future__ import annotations

import gzip
import re

GZIP = {"Accept-Encoding": "gzip, deflate, br"}
_TOKEN = re.compile(rb'name="csrf_token" value="[^"]+"')


def _without_token(body: bytes) -> bytes:
    """The CSRF token is signed with the time, so two requests a second apart differ only there."""
    return _TOKEN.sub(b'name="csrf_token" value=""', body)


def _static_url(client, name: str) -> str:
    found = re.search(rf'"(/static/{re.escape(name)}\?v=[0-9a-f]+)"', client.get("/").get_data(as_text=True))
    assert found, f"the landing page does not link {name} with a version"
    return found.group(1)


def test_html_is_gzipped_when_the_browser_asks(client):
    plain = client.get("/help")
    zipped = client.get("/help", headers=GZIP)
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert _without_token(gzip.decompress(zipped.data)) == _without_token(plain.data)
    assert len(zipped.data) < len(plain.data) / 2
    assert "Content-Encoding" not in plain.headers


def test_small_and_binary_responses_are_left_alone(client):
    assert "Content-Encoding" not in client.get("/healthz", headers=GZIP).headers
    icon = client.get("/static/icons/home.svg", headers=GZIP)  # SVG, but under 512 bytes
    assert "Content-Encoding" not in icon.headers


def test_security_headers_survive_compression(client):
    headers = client.get("/", headers=GZIP).headers
    assert headers["Content-Encoding"] == "gzip"
    assert "script-src 'self'" in headers["Content-Security-Policy"]


def test_static_links_carry_a_content_version_and_are_immutable(client):
    url = _static_url(client, "css/voice.css")
    response = client.get(url, headers=GZIP)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["ETag"].startswith('W/"')
    assert b"--brand" in gzip.decompress(response.data)


def test_an_old_version_revalidates_and_no_version_is_cached_briefly(client):
    assert client.get("/static/css/voice.css?v=000000000000").headers["Cache-Control"] == "no-cache"
    assert client.get("/static/css/voice.css").headers["Cache-Control"] == "public, max-age=3600"


def test_a_revalidation_with_the_weak_etag_gets_304(client):
    url = _static_url(client, "css/voice.css")
    etag = client.get(url, headers=GZIP).headers["ETag"]
    again = client.get(url, headers={**GZIP, "If-None-Match": etag})
    again.close()  # werkzeug keeps the file of a 304 open until the response is closed
    assert again.status_code == 304


def test_fonts_named_in_stylesheets_are_versioned_too(client):
    url = _static_url(client, "css/fonts.css")
    css = client.get(url).get_data(as_text=True)
    fonts = re.findall(r'url\("(\.\./fonts/[^"]+)"\)', css)
    assert fonts, "fonts.css names no fonts"
    assert all(re.search(r"\.woff2\?v=[0-9a-f]{12}$", f) for f in fonts), fonts
    font = client.get("/static/fonts/" + fonts[0].split("/")[-1])
    font.close()  # a file response: close it, or the file stays open
    assert font.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Content-Encoding" not in font.headers  # woff2 is compressed already
