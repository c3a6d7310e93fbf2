"""Fewer bytes for cheap phones on pay-as-you-go data: gzip for text, long caching for static files.

Two small pieces, registered by ``init_app`` before every other ``after_request`` hook so that
they run *last* (Flask runs those hooks in reverse order), after the security headers are set:

- **gzip** for text responses (HTML, CSS, JS, JSON, SVG, CSV) of at least ``MIN_BYTES`` when
  the browser sends ``Accept-Encoding: gzip``. Static files are compressed once per version and
  kept in memory. Brotli would save a little more but needs a compiled dependency; every browser
  a child might use speaks gzip.
- **versioned static URLs**: ``url_for("static", filename=...)`` adds ``?v=<content hash>``,
  and so does every relative ``url()`` inside a stylesheet (the subset fonts). A request
  carrying the current hash may be cached for a year (``immutable``); a request with an old
  hash must revalidate, and one with none (a hand-written URL) is cached for an hour.

BREACH (compression of a page holding a secret next to reflected input) is limited by every
session cookie being ``SameSite=Lax``: the many cross-site requests that attack needs carry no
session, so the secrets in those responses are not the child's. See docs/adr/0005-browser-tests.md.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import posixpath
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, request

MIN_BYTES = 512
GZIP_LEVEL = 6
COMPRESSIBLE = frozenset(
    {
        "text/html",
        "text/css",
        "text/plain",
        "text/csv",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/xml",
        "image/svg+xml",
    }
)
STATIC_MAX_AGE = 365 * 24 * 3600
UNVERSIONED_MAX_AGE = 3600  # a static URL written by hand, without ?v=

# Processed static files by (what, path, ETag): gzip bodies and stylesheets with versioned
# url()s. Bounded: cleared when full (there are a few dozen files).
_STATIC_CACHE: dict[tuple[str, str, str], bytes] = {}
_STATIC_CACHE_LIMIT = 256


@lru_cache(maxsize=512)
def _file_version(path: str, mtime_ns: int, size: int) -> str:
    """A short content hash; ``mtime_ns`` and ``size`` are in the key so an edited file re-hashes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def static_version(filename: str) -> str | None:
    """The content hash of a file in the static folder, or None. One ``stat`` per call: it is
    on every page, several times (a ``resolve()`` here cost more than the gzip)."""
    folder = current_app.static_folder
    if not folder or filename.startswith("/") or ".." in filename.split("/"):
        return None
    path = os.path.join(folder, filename)
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return _file_version(path, stat.st_mtime_ns, stat.st_size)


def _version_static_urls(endpoint: str, values: dict[str, Any]) -> None:
    if endpoint == "static" and "filename" in values and "v" not in values:
        version = static_version(values["filename"])
        if version:
            values["v"] = version


def _cache_static(response: Response) -> Response:
    if request.endpoint != "static" or response.status_code not in (200, 304):
        return response
    filename = (request.view_args or {}).get("filename", "")
    current = static_version(filename) if filename else None
    if current and request.args.get("v") == current:
        response.headers["Cache-Control"] = f"public, max-age={STATIC_MAX_AGE}, immutable"
    elif "v" not in request.args:
        response.headers["Cache-Control"] = f"public, max-age={UNVERSIONED_MAX_AGE}"
    else:
        response.headers["Cache-Control"] = "no-cache"  # an old version: check every time
    return response


# url(...) in a stylesheet, relative to it: fonts and images. Absolute and data: URLs are left.
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(?!data:|https?:|/)([^'")?#]+)\1\s*\)""")


def _versioned_css(css: str, css_filename: str) -> str:
    """Add ``?v=<hash>`` to a stylesheet's relative ``url()`` references, so the fonts it
    names can be cached as immutably as the stylesheet itself."""
    folder = posixpath.dirname(css_filename)

    def version(match: re.Match[str]) -> str:
        quote, ref = match.group(1), match.group(2)
        found = static_version(posixpath.normpath(posixpath.join(folder, ref)))
        return f"url({quote}{ref}?v={found}{quote})" if found else match.group(0)

    return _CSS_URL.sub(version, css)


def _version_css_urls(response: Response) -> Response:
    if request.endpoint != "static" or response.status_code != 200 or response.mimetype != "text/css":
        return response
    filename = (request.view_args or {}).get("filename", "")
    etag, _weak = response.get_etag()
    text = _read(response).decode("utf-8")
    key = ("css", filename, etag or "")
    body = _STATIC_CACHE.get(key)
    if body is None:
        body = _versioned_css(text, filename).encode()
        _remember(key, body)
    response.set_data(body)
    return response


def _read(response: Response) -> bytes:
    """The whole body. A static file (they are small) is read and closed at once."""
    source = response.response
    response.direct_passthrough = False
    body = response.get_data()
    close = getattr(source, "close", None)
    if close is not None:
        close()
    return body


def _accepts_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0


def _compress(response: Response) -> Response:
    if (
        response.status_code != 200
        or response.mimetype not in COMPRESSIBLE
        or "Content-Encoding" in response.headers
        or "Content-Range" in response.headers
        or (response.is_streamed and not response.direct_passthrough)
    ):
        return response
    response.vary.add("Accept-Encoding")
    if not _accepts_gzip():
        return response
    length = response.calculate_content_length()
    if length is not None and length < MIN_BYTES:
        return response
    body = _read(response)
    if len(body) < MIN_BYTES:
        return response
    etag, _weak = response.get_etag()
    if request.endpoint == "static" and etag:
        compressed = _static_payload(request.path, etag, body)
    else:
        compressed = gzip.compress(body, GZIP_LEVEL, mtime=0)
    response.set_data(compressed)
    response.headers["Content-Encoding"] = "gzip"
    if etag:
        # Another representation of the same resource: a weak validator, as nginx does, so
        # If-None-Match still matches (weak comparison) and gives a 304.
        response.set_etag(etag, weak=True)
    return response


def _static_payload(path: str, etag: str, body: bytes) -> bytes:
    key = ("gzip", path, etag)
    found = _STATIC_CACHE.get(key)
    if found is None:
        found = gzip.compress(body, GZIP_LEVEL, mtime=0)
        _remember(key, found)
    return found


def _remember(key: tuple[str, str, str], body: bytes) -> None:
    if len(_STATIC_CACHE) >= _STATIC_CACHE_LIMIT:
        _STATIC_CACHE.clear()
    _STATIC_CACHE[key] = body


def init_app(app: Flask) -> None:
    """Call before anything else registers ``after_request`` hooks: these must run last."""
    app.url_defaults(_version_static_urls)
    app.after_request(_compress)
    app.after_request(_version_css_urls)
    app.after_request(_cache_static)
