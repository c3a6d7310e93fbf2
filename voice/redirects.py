"""Safe ``next=`` handling: only relative paths on this site."""

from urllib.parse import urlsplit


def safe_next(target: str | None, default: str) -> str:
    if not target or len(target) > 512:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(c) < 32 for c in target):
        return default
    return target
