"""How long the pre-review journey is for a child, measured through the real pages (issue 16:
"ten minutes at most").

Two children walk the words chat with plain HTML forms: one answers everything it is asked
(the first face or option, one tick then Done, a sentence in every box), one skips everything.
Each run counts taps (answer choices and buttons pressed), the radio buttons and other controls
on the review page, and estimates minutes. Run with ``-s`` to see the figures.

Minutes are an estimate, not a stopwatch: reading at 90 words a minute (a slow reader of nine),
3 seconds a tap, and 40 seconds for each answer typed.

Before issue 16 (the same walk, same model, engine-side): answering everything took 33
questions, 40 taps, 8 typed answers and a review page of 132 radio buttons and 35 buttons
(about 14.5 minutes); skipping everything took 24 questions and still met 96 radio buttons.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.helpers.child import review_link, start_chat
from tests.helpers.pages import Page, PageFetcher

READING_WORDS_PER_MINUTE = 90
SECONDS_PER_TAP = 3
SECONDS_PER_TYPED_ANSWER = 40


@dataclass
class Run:
    questions: int = 0
    taps: int = 0
    typed: int = 0
    words_read: int = 0
    review_radios: int = 0
    review_radios_in_view: int = 0  # not inside a closed disclosure
    review_buttons: int = 0

    @property
    def minutes(self) -> float:
        seconds = (
            self.words_read / READING_WORDS_PER_MINUTE * 60
            + self.taps * SECONDS_PER_TAP
            + self.typed * SECONDS_PER_TYPED_ANSWER
        )
        return round(seconds / 60, 1)


def _walk(page: PageFetcher, *, skip: bool) -> tuple[Run, Page]:
    run = Run(taps=1)  # choosing the chat
    chat = start_chat(page, page.get("/chat"))
    for _ in range(80):
        form = chat.soup.select_one("form.answer-form")
        if form is None:
            break
        run.questions += 1
        if skip:
            chat = page.submit(chat, selector="form.answer-form", button=("action", "skip"))
            run.taps += 1
            continue
        replies = form.select("button[name=answer]")
        boxes = form.select("input[type=checkbox][name=answer]")
        if replies:
            chat = page.submit(chat, selector="form.answer-form", button=("answer", replies[0]["value"]))
            run.taps += 1
        elif boxes:
            chat = page.submit(chat, {"answer": boxes[0]["value"]}, selector="form.answer-form")
            run.taps += 2  # one tick, then Done
        else:
            chat = page.submit(chat, {"answer": "It's OK, I think."}, selector="form.answer-form")
            run.taps += 1
            run.typed += 1
    else:
        raise AssertionError("the chat did not end")
    run.words_read = sum(len(b.get_text(" ", strip=True).split()) for b in chat.soup.select(".bubble.bot"))
    review = page.get(review_link(chat))
    run.taps += 2  # "See my answers", then Send
    form = review.form("main form.review-form")
    radios = form.select("input[type=radio]")
    run.review_radios = len(radios)
    run.review_radios_in_view = sum(1 for r in radios if r.find_parent("details") is None)
    run.review_buttons = len(form.select("button"))
    return run, review


def _report(name: str, run: Run) -> None:
    print(
        f"\n{name}: {run.questions} questions, {run.taps} taps ({run.typed} typed), "
        f"review page: {run.review_radios} radio buttons ({run.review_radios_in_view} in view), "
        f"{run.review_buttons} buttons; about {run.minutes} minutes"
    )


def test_a_child_who_skips_everything_meets_a_handful_of_choices(client, kid):
    run, review = _walk(PageFetcher(client), skip=True)
    _report("skip everything", run)
    assert 10 <= run.questions <= 13
    assert run.review_radios == 0  # skipped questions are listed without choices
    assert run.review_buttons <= 5
    assert len(review.soup.select(".skipped-list li")) == run.questions
    assert run.minutes < 7


def test_a_child_who_answers_everything_is_done_in_ten_minutes(client, kid):
    run, review = _walk(PageFetcher(client), skip=False)
    _report("answer everything", run)
    assert run.questions <= 20
    # "Who sees this" is asked once (four choices); each answer's own choice waits, closed,
    # behind "Change who sees this answer".
    assert run.review_radios_in_view == 4
    assert len(review.soup.select("details.share-one")) == run.questions
    assert not review.soup.select("details.share-one[open]")
    assert run.minutes <= 10
