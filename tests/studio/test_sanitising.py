"""Words from the studio are content, never code: Markdown is cut to an allowlist, raw HTML in
rights text is refused, and {{ … }} is shown as typed because Jinja never evaluates content."""

from __future__ import annotations

import pytest

from tests import factories
from tests.helpers.child import sign_in_directly
from tests.helpers.pages import PageFetcher
from voice.chat import conversations
from voice.content.text import render_markdown
from voice.extensions import db
from voice.studio import proposals

NASTY = (
    "Hello **there**.\n\n"
    "<script>alert(1)</script>\n\n"
    '<iframe src="https://evil.example"></iframe>\n\n'
    '<svg onload="alert(1)"><circle r="9"/></svg>\n\n'
    "[press me](javascript:alert(1)) and [safe](https://example.org)\n\n"
    "Settings: {{config}} and {{ config.SECRET_KEY }}"
)
BANNED = ("<script", "<iframe", "<svg", "onload", "javascript:", "<circle")


def _clean(html: str) -> None:
    lowered = html.lower()
    for bad in BANNED:
        assert bad not in lowered, bad


def test_the_sanitiser_keeps_only_the_allowlist():
    html = str(render_markdown(NASTY))
    _clean(html)
    assert "<strong>there</strong>" in html
    assert 'href="https://example.org"' in html
    assert "{{config}}" in html and "{{ config.SECRET_KEY }}" in html


def _publish(kind: str, item_id: str, field: str, value: str):
    member, officer = factories.council_member(), factories.staff("participation_officer")
    made = proposals.propose(member, kind, item_id, {"op": "set", "field": field, "value": value}, None)
    proposals.approve(made, officer)
    return proposals.publish(made, officer)


def test_a_published_page_with_html_scripts_and_templates_shows_only_safe_text(app):
    with app.app_context():
        simple = "You can call **999**. We will help. Tell us. You are not alone. It is OK. Be safe.\n\n"
        body = simple + NASTY
        _publish("page", "help", "body", body)
    shown = PageFetcher(app.test_client()).get("/help")
    html = shown.response.get_data(as_text=True)
    _clean(shown.soup.select_one("main").decode())
    assert "{{config}}" in shown.text and "{{ config.SECRET_KEY }}" in shown.text
    assert app.config["SECRET_KEY"] not in html
    assert "<strong>999</strong>" in html


def test_rights_text_with_links_and_templates_is_made_safe(app):
    with app.app_context():
        _publish(
            "article",
            "article-12",
            "example",
            "Tom writes what he wants. [Click](javascript:alert(1)) {{config}}",
        )
    shown = PageFetcher(app.test_client()).get("/rights/article-12")
    _clean(shown.soup.select_one("main").decode())
    assert "{{config}}" in shown.text


@pytest.mark.parametrize(
    "html", ["<iframe src='https://evil.example'></iframe>", "<svg onload=alert(1)>", "<script>x</script>"]
)
def test_raw_html_in_rights_text_is_refused_with_the_reason(app_ctx, html):
    member = factories.council_member()
    with pytest.raises(proposals.ProposalError) as refused:
        proposals.propose(
            member, "article", "article-12", {"op": "set", "field": "means", "value": html}, None
        )
    assert any("contains HTML; use Markdown" in p for p in refused.value.problems)


def test_a_question_with_markup_is_shown_to_a_child_as_plain_text(app):
    words = "<script>alert(1)</script> What is {{config}} like?"
    with app.app_context():
        _publish("node", "pre-review/home-feel", "text", words)
        child = factories.child()
        db.session.commit()
        conversations.start(child, "pre-review", language="en")
    client = app.test_client()
    sign_in_directly(app, client, child)
    chat = PageFetcher(client).get("/chat", follow=True)
    html = chat.response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; What is {{config}} like?" in html


def test_the_studio_preview_of_a_proposal_is_sanitised_too(app, people):
    from tests.helpers.auth import sign_in_staff
    from tests.studio.helpers import propose_wording

    member = PageFetcher(app.test_client())
    sign_in_staff(member, people["member"])
    made = propose_wording(member, "page", "help", "body", "Call **999** if you are in danger.\n\n" + NASTY)
    _clean(made.soup.select_one(".phone").decode())
    assert "{{config}}" in made.soup.select_one(".phone").get_text()
    assert "<script>alert(1)</script>" in made.soup.select_one(".diff").get_text()  # as text, to discuss
