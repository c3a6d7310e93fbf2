"""Kurdish Sorani, Pashto and Dari in Chromium (issue 23): the page is mirrored, every glyph is
drawn (no empty boxes), and axe finds nothing. Screenshots go to artifacts/screenshots/<lang>/
and, for the issue's closing note, to SHOTS (default /work/wt/i18n-shots, or VOICE_I18N_SHOTS).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser import journeys

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("VOICE_I18N_SHOTS", "/work/wt/i18n-shots"))

# Draw each character of the page in the page's own font stack and compare its pixels with
# the box Chromium draws for a code point no font has (U+E000, private use). A character whose
# bitmap is that box is an empty glyph box. `document.fonts.check` is asked too.
_EMPTY_BOXES = """async () => {
  const style = getComputedStyle(document.body);
  const font = `32px ${style.fontFamily}`;
  const text = document.body.innerText;
  await document.fonts.load(font, text);
  await document.fonts.ready;
  const canvas = document.createElement('canvas');
  canvas.width = 64; canvas.height = 64;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  const draw = (ch) => {
    ctx.clearRect(0, 0, 64, 64); ctx.font = font; ctx.fillStyle = '#000';
    ctx.fillText(ch, 8, 44);
    return Array.from(ctx.getImageData(0, 0, 64, 64).data.filter((_, i) => i % 4 === 3)).join(',');
  };
  const box = draw('\\uE000');
  const chars = [...new Set(text.replace(/\\s/g, ''))];
  const empty = chars.filter((ch) => ch.codePointAt(0) > 0x7f && draw(ch) === box);
  const hex = (ch) => 'U+' + ch.codePointAt(0).toString(16).toUpperCase();
  return {checked: chars.length, empty: empty.map(hex),
          control: draw('\\uE001') === box, fontsCheck: document.fonts.check(font, text)};
}"""

# In a right-to-left page the heading's text sits against the right edge of its box.
_MIRRORED = """() => {
  const h1 = document.querySelector('main h1');
  const range = document.createRange();
  range.selectNodeContents(h1);
  const text = range.getBoundingClientRect(), box = h1.getBoundingClientRect();
  return {dir: getComputedStyle(document.body).direction, gapRight: box.right - text.right,
          gapLeft: text.left - box.left};
}"""


def _look(phone: journeys.Phone, name: str) -> None:
    page = phone.page
    phone.audit.check(page, name)
    found = page.evaluate(_EMPTY_BOXES)
    assert found["control"], "the empty-box detector did not recognise a missing glyph"
    assert found["checked"] > 10
    assert not found["empty"], f"[{phone.lang}] {name}: empty glyph boxes for {found['empty']}"
    mirrored = page.evaluate(_MIRRORED)
    assert mirrored["dir"] == "rtl", mirrored
    assert mirrored["gapRight"] <= 2 <= mirrored["gapLeft"] or mirrored["gapLeft"] <= 2, mirrored
    assert mirrored["gapRight"] <= mirrored["gapLeft"], f"[{phone.lang}] {name}: not mirrored {mirrored}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{phone.lang}-{name}.png"), full_page=True, animations="disabled")


@pytest.mark.parametrize(("lang", "ref"), [("ckb", "C-1002"), ("ps", "C-1003"), ("fa_AF", "C-1006")])
def test_a_new_rtl_language_is_mirrored_drawn_and_accessible(new_phone, lang: str, ref: str) -> None:
    phone = new_phone(lang, js=True, label="rtl-")
    page = phone.page
    journeys.enrol(phone, ref)  # welcome and PIN pages are audited on the way
    _look(phone, "chat-start")
    with page.expect_navigation(wait_until="load"):
        page.click("form.mode-choice button[name=flow][value='pre-review']")
    _look(phone, "chat-question")
    page.goto(phone.url("/help"))
    _look(phone, "help")
    page.goto(phone.url(f"/rights?lang={lang}"))
    if page.locator("main h1").count():
        _look(phone, "rights")
    # The draft line is in the child's own language, not English.
    note = page.locator("p.translation-note").inner_text()
    assert note and "translation" not in note.lower(), note
    phone.audit.assert_clean()
