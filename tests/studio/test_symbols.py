"""The council can replace a symbol through a proposal; it goes live with a content version.
A picture that isn't plain, safe SVG can't even be proposed."""

from __future__ import annotations

import pytest

from tests import factories
from voice.chat import pictures
from voice.content import registry, versions
from voice.studio import proposals
from voice.studio.proposals import ProposalError

NEW_PET = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
    '<circle cx="32" cy="36" r="20" fill="#ffd166" stroke="#1b2a41" stroke-width="3"/>'
    '<path d="M20 22 L16 8 L28 18 M44 22 L48 8 L36 18" fill="#ffd166" stroke="#1b2a41"/></svg>'
)


def test_a_proposed_symbol_is_published_with_a_version_and_children_see_it(app_ctx):
    member, officer = factories.council_member(), factories.staff("participation_officer")
    before = versions.live_ref().id
    change = {"op": "set", "field": "svg", "value": NEW_PET}
    made = proposals.propose(member, "symbol", "pet", change, "a cat")
    proposals.approve(made, officer)
    version = proposals.publish(made, officer)
    assert version.id != before and versions.live_ref().id == version.id
    assert registry.get("symbols")["pet"].svg == NEW_PET
    drawn = str(pictures.symbol("pet"))
    assert 'aria-hidden="true"' in drawn and 'cx="32" cy="36" r="20"' in drawn


def test_a_symbols_name_can_be_changed_too(app_ctx):
    member, officer = factories.council_member(), factories.staff("participation_officer")
    made = proposals.propose(member, "symbol", "pet", {"op": "set", "field": "name", "value": "My pet"}, None)
    proposals.approve(made, officer)
    proposals.publish(made, officer)
    assert pictures.symbol_name("pet") == "My pet"


@pytest.mark.parametrize(
    "svg",
    [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><script>alert(1)</script></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><circle r="3" onclick="x()"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><image href="https://evil.test/a.png"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect fill="url(#x)"/></svg>',
        '<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"/>',
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><circle r="3"/></svg>',
        "not a picture",
    ],
    ids=["script", "event", "outside-image", "url", "entities", "other-grid", "not-svg"],
)
def test_an_unsafe_or_broken_picture_cant_be_proposed(app_ctx, svg):
    member = factories.council_member()
    with pytest.raises(ProposalError) as refused:
        proposals.propose(member, "symbol", "pet", {"op": "set", "field": "svg", "value": svg}, None)
    assert "break the content" in str(refused.value.problems)
    assert registry.get("symbols")["pet"].svg != svg
