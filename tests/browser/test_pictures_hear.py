"""Tap to hear: where the browser has a voice for the child's language, "Hear it" appears and
says the question and cards, and a tapped card is said aloud before it is sent. Chromium here
has no voices, so the page gets a stand-in speechSynthesis that writes down what it was asked
(in sessionStorage, so it survives the card's form post)."""

from __future__ import annotations

import pytest

from tests.browser import journeys

pytestmark = pytest.mark.browser

FAKE_VOICES = """
(() => {
  const voices = [{ lang: 'en-GB', name: 'English' }, { lang: 'ar-SA', name: 'Arabic' }];
  const note = (u) => {
    const said = JSON.parse(sessionStorage.getItem('spoken') || '[]');
    said.push({ text: u.text, lang: u.lang });
    sessionStorage.setItem('spoken', JSON.stringify(said));
  };
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
  Object.defineProperty(window, 'speechSynthesis', { value: {
    getVoices: () => voices, cancel: () => {}, addEventListener: () => {},
    speak: (u) => { note(u); setTimeout(() => u.onend && u.onend(), 10); },
  } });
})();
"""
SPOKEN = "JSON.parse(sessionStorage.getItem('spoken') || '[]')"


def test_hear_it_speaks_in_the_childs_language_and_a_card_is_said_before_it_is_sent(new_phone) -> None:
    phone = new_phone("ar", js=True, label="pictures-hear-")
    phone.context.add_init_script(FAKE_VOICES)
    journeys.enrol(phone, "C-1003", audit=False)
    try:
        _hear(phone)
    finally:
        phone.server.discard_open_drafts("C-1003")  # other journeys start C-1003's chat afresh


def _hear(phone) -> None:
    page = phone.page
    with page.expect_navigation(wait_until="load"):
        page.click("form.mode-choice button[name=flow][value='all-about-me']")
    with page.expect_navigation(wait_until="load"):
        page.click("main a.card.next")
    question = page.inner_text("main legend.picture-question").strip()
    hear = page.locator("main button[data-hear]")
    assert hear.is_visible(), "no Hear it button although there is an Arabic voice"
    hear.click()
    heard = page.evaluate(SPOKEN)[-1]
    assert heard["lang"] == "ar-SA" and question in heard["text"]
    card = page.inner_text("main button[name=answer][value='just-me']").strip()
    with page.expect_navigation(wait_until="load"):
        page.click("main button[name=answer][value='just-me']")
    said = page.evaluate(SPOKEN)[-1]
    assert said == {"text": card, "lang": "ar-SA"}, said
    assert page.inner_text("main legend.picture-question").strip() != question  # sent: next question
