"""The studio in a browser: browse, preview as a child sees it, propose, discuss, decide."""

from __future__ import annotations

from sqlalchemy import select

from tests.helpers.auth import sign_in_staff
from tests.helpers.pages import PageFetcher
from tests.studio.helpers import approve_and_publish, proposal_id, propose_wording
from voice.extensions import db
from voice.models import ContentVersion, Proposal, ProposalVote


def browser(app, email: str) -> PageFetcher:
    """A separate browser per person (never kept in a `with` block, so `g` is per request).
    Its form filler sends a <select>'s text, not its value, so tests name select values."""
    fetcher = PageFetcher(app.test_client())
    sign_in_staff(fetcher, email)
    return fetcher


def test_members_browse_every_kind_of_content_with_reading_ages(app, people):
    member = browser(app, people["member"])
    with app.app_context():
        from voice.rights.feedback import record_feedback

        record_feedback("article-12", True, "en")
    listing = member.get("/studio/content")
    headings = [h.get_text(strip=True) for h in listing.soup.select("main h2")]
    for kind in (
        "Chats",
        "Chat questions and messages",
        "Rights explainers",
        "The seven big ideas",
        "Questions and answers (FAQ)",
        "Glossary: care words",
        "Pages",
    ):
        assert kind in headings
    assert listing.soup.select_one("a[href='/studio/content/node/pre-review/home-feel']")
    assert listing.soup.select_one("a[href='/studio/content/node/pre-review-pictures/home']")
    article = listing.soup.select_one("a[href='/studio/content/article/article-12']").find_parent("tr")
    cells = [td.get_text(strip=True) for td in article.select("td")]
    assert cells[3] == "1 / 0"  # "Did this help?" counts, anonymous


def test_a_question_is_previewed_as_a_child_sees_it_in_any_language(app, people):
    member = browser(app, people["member"])
    shown = member.get("/studio/content/node/pre-review/home-feel")
    phone = shown.soup.select_one(".phone")
    assert "How are things where you live right now?" in phone.get_text()
    assert [b.get_text(strip=True) for b in phone.select("button[name=answer]")][:2] == [
        "Really bad",
        "Not good",
    ]
    assert "Reading age" in shown.text
    polish = member.get("/studio/content/node/pre-review/home-feel?language=pl")
    phone = polish.soup.select_one(".phone")
    assert phone["lang"] == "pl" and "Jak jest teraz tam, gdzie mieszkasz?" in phone.get_text()
    assert polish.soup.html["lang"] == "en"  # the studio around it stays in English
    arabic = member.get("/studio/content/node/pre-review/home-feel?language=ar")
    assert arabic.soup.select_one(".phone")["dir"] == "rtl"
    pictures = member.get("/studio/content/flow/pre-review-pictures")
    assert pictures.soup.select(".phone img.icon")
    for path in ("article/article-12", "principle/dignity", "faq/siblings", "glossary/in-care", "page/help"):
        assert member.get(f"/studio/content/{path}").soup.select_one(".phone .phone-title")


def test_a_proposal_shows_a_diff_and_can_be_discussed_voted_on_and_withdrawn(app, people):
    member, other = browser(app, people["member"]), browser(app, people["member2"])
    made = propose_wording(
        member, "node", "pre-review/home-feel", "text", "How are things where you live today?"
    )
    number = proposal_id(made)
    assert made.soup.select_one(".diff del").get_text() == "right now?"
    assert made.soup.select_one(".diff ins").get_text() == "today?"
    shown = other.get(f"/studio/proposals/{number}")
    commented = other.submit(
        shown,
        {"body": "I like it <b>a lot</b>"},
        selector=f"form[action='/studio/proposals/{number}/comments']",
    )
    assert "I like it <b>a lot</b>" in commented.text  # shown as text, never as markup
    other.submit(commented, selector="form.vote-form", button=("agree", "yes"))
    again = other.submit(
        other.get(f"/studio/proposals/{number}"), selector="form.vote-form", button=("agree", "no")
    )
    assert "0 agree · 1 don't agree" in again.text
    with app.app_context():
        assert (
            len(db.session.scalars(select(ProposalVote)).all()) == 1
        )  # one vote each; voting again changes it
    assert (
        other.get(f"/studio/proposals/{number}").soup.select_one(
            f"form[action='/studio/proposals/{number}/withdraw']"
        )
        is None
    )
    gone = member.submit(
        member.get(f"/studio/proposals/{number}"),
        selector=f"form[action='/studio/proposals/{number}/withdraw']",
    )
    assert "Withdrawn" in gone.text


def test_a_change_that_breaks_a_flow_is_refused_when_proposed_with_the_reason(app, people):
    member = browser(app, people["member"])
    form = member.get("/studio/content/node/pre-review/home-feel/propose/move")
    later = form.soup.select("select[name=after] option")[-1]["value"]
    refused = member.submit(form, {"after": later}, selector="form.propose-form", status=400)
    problems = refused.soup.select_one(".problems").get_text(" ", strip=True)
    assert "would break the content" in problems
    assert "home-feel" in problems
    with app.app_context():
        assert db.session.scalar(select(Proposal)) is None


def test_officer_sends_back_with_a_reason_the_member_sees(app, people):
    member, officer = browser(app, people["member"]), browser(app, people["officer"])
    number = proposal_id(propose_wording(member, "glossary", "in-care", "term", "Being in care"))
    shown = officer.get(f"/studio/proposals/{number}")
    officer.submit(shown, {"reason": "The word is used on other pages too."}, selector="form.send-back-form")
    history = member.get("/studio/you-said-we-did")
    assert "Sent back" in history.text and "The word is used on other pages too." in history.text


def test_new_buttons_examples_questions_and_order_go_live(app, people):
    member, officer = browser(app, people["member"]), browser(app, people["officer"])
    option = member.submit(
        member.get("/studio/content/node/pre-review/home-stay/propose/add-option"),
        {"label": "I'd like to move nearer my school", "icon": ""},
        selector="form.propose-form",
    )
    example = member.submit(
        member.get("/studio/content/faq/siblings/propose/add-example"),
        {"value": "can my brother visit me at my foster home"},
        selector="form.propose-form",
    )
    question = member.submit(
        member.get("/studio/content/node/pre-review/home-feel/propose/add-question"),
        {"text": "Do you have your own room?", "answer": "yesno", "topic": "home", "icon": ""},
        selector="form.propose-form",
    )
    for made in (option, example, question):
        approve_and_publish(officer, proposal_id(made))
    with app.app_context():
        from voice.content import registry

        flow = registry.get("flows")["pre-review"]
        assert "I'd like to move nearer my school" in [o.label for o in flow.node("home-stay").options]
        new = flow.node(flow.node("home-feel").next)
        assert new.text == "Do you have your own room?" and new.answer == "yesno"
        assert "can my brother visit me at my foster home" in registry.get("faq")["siblings"].examples
        assert len(db.session.scalars(select(ContentVersion)).all()) == 3


def test_a_new_question_and_answer_goes_live_for_children(app, people):
    member, officer = browser(app, people["member"]), browser(app, people["officer"])
    examples = "\n".join(
        f"can i have a pet {word}"
        for word in ("dog", "cat", "hamster", "rabbit", "fish", "snake", "bird", "lizard", "mouse", "rat")
    )
    made = member.submit(
        member.get("/studio/content/new-question-and-answer"),
        {
            "title": "Can I have a pet?",
            "answer": "Ask your carer. Many homes can have a small pet.",
            "examples": examples,
            "links": "",
        },
        selector="form.propose-form",
    )
    approve_and_publish(officer, proposal_id(made))
    answer = PageFetcher(app.test_client()).get("/rights/answers/can-i-have-a-pet")
    assert "Many homes can have a small pet." in answer.text


def test_an_officer_cannot_approve_their_own_proposal(app, people):
    officer = browser(app, people["officer"])
    number = proposal_id(propose_wording(officer, "topic", "home", "title", "Where I live now"))
    refused = officer.submit(
        officer.get(f"/studio/proposals/{number}"),
        selector=f"form[action='/studio/proposals/{number}/approve']",
        status=409,
    )
    assert "someone else needs to approve it" in refused.text


def test_two_members_changing_the_same_words_get_a_conflict_warning(app, people):
    one, two = browser(app, people["member"]), browser(app, people["member2"])
    officer = browser(app, people["officer"])
    first = proposal_id(
        propose_wording(one, "article", "article-12", "summary", "Adults must listen to you.")
    )
    item = two.get("/studio/content/article/article-12")
    assert "Someone else is changing this too." in item.text
    second = proposal_id(
        propose_wording(two, "article", "article-12", "summary", "Your views matter to adults.")
    )
    approve_and_publish(officer, first)

    shown = officer.get(f"/studio/proposals/{second}")
    assert "these words changed since this idea was written" in shown.text
    refused = approve_and_publish(officer, second, status=409)
    assert "Publishing it would replace their words" in refused.text
    with app.app_context():
        from voice.content import registry

        assert registry.get("rights").article("article-12").summary == "Adults must listen to you."
    approve_and_publish(officer, second, replace_newer=True)
    with app.app_context():
        assert registry.get("rights").article("article-12").summary == "Your views matter to adults."


def test_versions_show_what_changed_and_can_be_rolled_back(app, people):
    member, officer = browser(app, people["member"]), browser(app, people["officer"])
    approve_and_publish(
        officer, proposal_id(propose_wording(member, "topic", "home", "title", "Where I live now"))
    )
    listing = officer.get("/studio/versions")
    assert "live now" in listing.soup.select_one("tr.live").get_text()
    detail = officer.get("/studio/versions/1")
    assert "flows/topics.yaml" in detail.text
    assert "+    title: Where I live now" in detail.soup.select_one(".file-diff ins").get_text()
    back = officer.submit(listing, selector="form[action='/studio/versions/0/rollback']")
    assert "Version 2 is live, with the words of version 0" in back.text
    assert member.get("/studio/content/topic/home").h1 == "Where I live"


def test_you_said_we_did_is_recorded_by_the_officer_and_read_by_members(app, people):
    member, officer = browser(app, people["member"]), browser(app, people["officer"])
    number = proposal_id(propose_wording(member, "topic", "home", "title", "Where I live now"))
    approve_and_publish(officer, number)
    page = officer.get("/studio/you-said-we-did")
    officer.submit(
        page,
        {
            "text": "The chat now says 'Where I live now', as the council asked.",
            "happened_on": "2026-11-20",
            "proposals": str(number),
        },
        selector="form[action='/studio/you-said-we-did']",
    )
    seen = member.get("/studio/you-said-we-did")
    assert "as the council asked" in seen.text
    assert seen.soup.select_one(f"a[href='/studio/proposals/{number}']")
    assert member.get("/studio/").soup.select_one(".outcomes")
