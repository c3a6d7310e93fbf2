"""The set-up page's QR code holds the same otpauth:// link as the typed key (issue 25).

The page's SVG is read back into a grid of modules from its path, as a scanner would see the
squares, and compared with segno's own symbol for the expected link at each error-correction
level. QR encoding is deterministic for a given text, level and mask, so an equal grid is a
symbol that reads as that link; the test also shows the grid differs for a different key.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pyotp
import segno

from tests.helpers.auth import sign_in_staff
from tests.helpers.totp import CODE_FORM, code, new_staff

QUIET_ZONE = 4
LABEL = "A QR code holding your key. Scan it with your authenticator app."
_COMMAND = re.compile(r"([MmHh])([^MmHh]*)")


def _dark_modules(svg) -> set[tuple[int, int]]:
    """(row, column) of every dark module drawn by the SVG's stroked path, quiet zone removed.

    segno draws each row as horizontal strokes through the middle of the row: ``M x y`` and
    ``m dx dy`` move, ``h n`` paints ``n`` modules to the right.
    """
    [path] = [p for p in svg.find_all("path") if p.get("stroke")]
    x = y = 0.0
    dark = set()
    for command, numbers in _COMMAND.findall(path["d"]):
        values = [float(v) for v in numbers.replace(",", " ").split()]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        else:
            for column in range(int(x), int(x + values[0])):
                dark.add((int(y) - QUIET_ZONE, column - QUIET_ZONE))
            x += values[0]
    return dark


def _symbols(text: str) -> list[set[tuple[int, int]]]:
    """segno's symbol for ``text`` at each error-correction level, as sets of dark modules."""
    found = []
    for level in "LMQH":
        matrix = segno.make(text, error=level, boost_error=False, micro=False).matrix
        found.append({(r, c) for r, row in enumerate(matrix) for c, value in enumerate(row) if value})
    return found


def test_the_qr_code_reads_as_the_same_link_and_key_as_the_text(app, page, totp_on):
    email = new_staff(app)
    setup = sign_in_staff(page, email)
    secret = setup.soup.select_one(".totp-secret").get_text(strip=True)
    uri = setup.soup.select_one(".totp-uri").get_text(strip=True)
    assert uri == pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name="Voice")
    assert parse_qs(urlsplit(uri).query)["secret"] == [secret]

    svg = setup.soup.select_one("figure svg")
    drawn = _dark_modules(svg)
    assert drawn in _symbols(uri)
    other_key = pyotp.TOTP(pyotp.random_base32()).provisioning_uri(name=email, issuer_name="Voice")
    assert drawn not in _symbols(other_key)

    # The key the picture holds is the one the app must use: its code confirms the set-up.
    done = page.submit(setup, {"code": code(secret)}, selector=CODE_FORM)
    assert len(done.soup.select(".recovery-codes code")) == 10


def test_the_qr_code_has_a_name_for_screen_readers_and_the_key_is_still_typed_out(app, page, totp_on):
    setup = sign_in_staff(page, new_staff(app))
    svg = setup.soup.select_one("figure svg")
    assert svg["role"] == "img"
    assert svg.find("title").get_text(strip=True) == LABEL
    assert "Cannot scan it?" in setup.text
    assert re.fullmatch(r"[A-Z2-7]{32}", setup.soup.select_one(".totp-secret").get_text(strip=True))


def test_the_set_up_page_is_never_cached(app, page, totp_on):
    setup = sign_in_staff(page, new_staff(app))
    assert setup.url == "/staff/sign-in/set-up-code"
    assert setup.response.headers["Cache-Control"] == "no-store"
