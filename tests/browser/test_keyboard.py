"""Keyboard only: a child who uses a keyboard or switch access can do the whole journey with
Tab, Shift+Tab, Enter and Space, always seeing where the focus is, and is taken straight to
the next question after answering (with JavaScript the chat updates without a reload)."""

from __future__ import annotations

import pytest

from tests.browser import journeys

pytestmark = pytest.mark.browser

ANSWER_CONTROL = ", ".join(
    f"form.answer-form {c}" for c in ("button[name=answer]", "input[type=checkbox]", "textarea")
)
FOCUSED = "(sel) => document.activeElement && document.activeElement.matches(sel)"

FOCUS_STYLE = """() => {
  const el = document.activeElement;
  const s = getComputedStyle(el);
  return {tag: el.tagName, visible: el.matches(':focus-visible'), style: s.outlineStyle,
          width: parseFloat(s.outlineWidth), color: s.outlineColor, shadow: s.boxShadow};
}"""


def tab_to(page, selector: str, *, limit: int = 40) -> int:
    """Press Tab until ``selector`` has the focus. Returns the number of presses."""
    for presses in range(limit + 1):
        if page.evaluate(FOCUSED, selector):
            return presses
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector!r} in {limit} presses")


def assert_focus_visible(page, what: str) -> None:
    style = page.evaluate(FOCUS_STYLE)
    assert style["visible"], f"{what}: focus is not :focus-visible after a key press: {style}"
    assert style["style"] != "none" and style["width"] >= 2, f"{what}: no visible focus outline: {style}"


def press_and_wait(phone, key: str) -> None:
    journeys.submit_and_wait(phone, lambda: phone.page.keyboard.press(key))


def test_whole_journey_by_keyboard(new_phone) -> None:
    phone = new_phone("en", js=True, label="keyboard-")
    page = phone.page
    page.goto(phone.server.invite("C-1007"))

    tab_to(page, "header form.exit-form button")
    assert_focus_visible(page, "Exit button")
    tab_to(page, "main form[method=post] button[type=submit]")
    assert_focus_visible(page, "Let's start")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    tab_to(page, "input[name=pin]")
    page.keyboard.type(journeys.PIN)
    page.keyboard.press("Tab")
    page.keyboard.type(journeys.PIN)
    tab_to(page, "main form[method=post] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    if "/chat/" in page.url:
        journeys.finish_open_conversation(phone)

    tab_to(page, "form.mode-choice button[value='pre-review']")
    with page.expect_navigation():
        page.keyboard.press("Space")

    presses_after_answer = []
    for number in range(60):
        if journeys.current_node(phone) is None:
            break
        presses = tab_to(page, ANSWER_CONTROL)
        if number:
            presses_after_answer.append(presses)
        assert_focus_visible(page, f"answer control on question {number + 1}")
        kind = page.evaluate("() => `${document.activeElement.tagName}:${document.activeElement.type || ''}`")
        if kind == "TEXTAREA:textarea":
            page.keyboard.type("I'd like to do more football.")
            tab_to(page, "form.answer-form fieldset button[type=submit]:not([name])")
            press_and_wait(phone, "Enter")
        elif kind == "INPUT:checkbox":
            page.keyboard.press("Space")
            assert page.evaluate("() => document.activeElement.checked")
            tab_to(page, "form.answer-form fieldset button[type=submit]:not([name])")
            press_and_wait(phone, "Space")
        else:
            page.keyboard.press("Tab")  # the second option, to show moving between them works
            press_and_wait(phone, "Enter" if number % 2 else "Space")
    else:
        raise AssertionError("the chat did not end")

    # After each answer the focus lands on the next question's first control (or within a Tab).
    assert presses_after_answer and max(presses_after_answer) <= 1, presses_after_answer

    tab_to(page, "#now a.button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/review")
    tab_to(page, "button[name=action][value=send]", limit=200)
    assert_focus_visible(page, "Send")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/sent" in page.url, page.url
    phone.audit.check(page, "sent")
    phone.audit.assert_clean()
