"""The real flows in content/flows: valid, skippable, finishable, and covering what a
review needs. These run on every change to content, so a broken edit in the studio
fails here before any child sees it."""

import json
from collections import deque

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.chat.flowkit import REAL_CONTENT
from voice import clock
from voice.chat import engine
from voice.chat.answers import MAX_TEXT_CHARS
from voice.content.flows import Flow, load_flows, load_topics


def _rights_ids():
    """Ids from content/rights, when it is there (another part of the project owns it)."""
    ids = set()
    for path in (REAL_CONTENT / "rights").glob("*.yaml"):
        for entries in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).values():
            if isinstance(entries, list):
                ids |= {e["id"] for e in entries if isinstance(e, dict) and "id" in e}
    return ids or None


FLOWS = load_flows(REAL_CONTENT, rights_ids=_rights_ids())
FLOW_IDS = sorted(FLOWS)

REQUIRED_TOPICS = {
    "home", "school", "health", "family", "friends", "worker-visits", "next",
    "review-topics", "review-people", "review-taking-part", "advocate", "good-news",
    "worries",
}  # fmt: skip


def test_the_expected_flows_load_with_no_errors():
    # load_flows raises on any problem, so getting here means no errors at all.
    assert {"pre-review", "pre-review-pictures"} <= set(FLOWS)
    assert FLOWS["pre-review"].mode == "words"
    assert FLOWS["pre-review-pictures"].mode == "pictures"


PICTURE_TOPICS = {"who-helped", "help-now", "important-people", "likes", "change", "adult-words"}


def test_topics_cover_the_review():
    assert set(load_topics(REAL_CONTENT)) == REQUIRED_TOPICS | PICTURE_TOPICS | {"other"}


def test_the_words_flow_asks_about_every_required_topic():
    asked = {node.topic for node in FLOWS["pre-review"].questions}
    assert asked >= REQUIRED_TOPICS


@pytest.mark.parametrize(
    ("topic", "rights"),
    [
        ("family", {"article-9"}),
        ("school", {"article-28"}),
        ("health", {"article-24"}),
        ("friends", {"article-31"}),
        ("review-topics", {"article-12", "article-25"}),
        ("review-taking-part", {"article-12", "article-25"}),
        ("advocate", {"article-12"}),
    ],
)
def test_questions_link_the_rights_behind_them(topic, rights):
    linked = {r for n in FLOWS["pre-review"].questions if n.topic == topic for r in n.rights}
    assert rights <= linked


def test_the_welcome_is_honest_about_who_reads_and_about_skipping():
    # The chat must say, before the first question, who reads what a child sends and that
    # they can skip. The words can change; these promises can't quietly disappear.
    for flow in FLOWS.values():
        state = engine.begin(flow)
        opening = " ".join(turn.text for turn in engine.transcript(flow, state)[:-1]).lower()
        assert "social worker" in opening, flow.id
        assert "skip" in opening, flow.id
        assert any("article-16" in node.rights for node in flow.nodes), flow.id


def _question_counts(flow: Flow) -> tuple[int, int]:
    """Fewest and most questions on any route from start to end (following the graph)."""
    shortest: dict[str, int] = {}
    longest: dict[str, int] = {}
    for node in reversed(_topological(flow)):
        here = 1 if node.is_question else 0
        targets = node.targets()
        shortest[node.id] = here + min((shortest[t] for t in targets), default=0)
        longest[node.id] = here + max((longest[t] for t in targets), default=0)
    return shortest[flow.start], longest[flow.start]


def _topological(flow: Flow):
    order, seen = [], set()

    def visit(node_id):
        if node_id not in seen:
            seen.add(node_id)
            for target in flow.node(node_id).targets():
                visit(target)
            order.append(flow.node(node_id))

    visit(flow.start)
    return order[::-1]


# Ten minutes at most (issue 16): a child who skips or taps straight through meets about a
# dozen questions; the longest route (every "tell me more" topic picked) stays under 40.
@pytest.mark.parametrize(
    ("flow_id", "fewest", "most"), [("pre-review", (10, 13), 40), ("pre-review-pictures", (8, 10), 11)]
)
def test_flows_are_short_enough(flow_id, fewest, most):
    flow = FLOWS[flow_id]
    shortest, longest = _question_counts(flow)
    assert fewest[0] <= shortest <= fewest[1]
    assert longest <= most
    assert flow.estimated_minutes < 10


def _reach_every_question(flow: Flow) -> dict[str, dict]:
    """A state waiting at each question, found by trying every option (one at a time)."""
    first = engine.begin(flow)
    found = {first["current"]: first}
    todo = deque([first])
    while todo:
        state = todo.popleft()
        node = engine.current_node(flow, state)
        if node.type == "end":
            continue
        tries = [engine.skip(flow, state, node.id)]
        typed = clock.now().date().isoformat() if node.answer == "date" else "Some words"
        values = [[o.id] for o in node.options] or [[typed]]
        tries += [engine.submit_answer(flow, state, node.id, v) for v in values]
        for outcome in tries:
            assert outcome.ok, outcome.error
            reached = outcome.state["current"]
            if reached not in found:
                found[reached] = outcome.state
                todo.append(outcome.state)
    return found


@pytest.mark.parametrize("flow_id", FLOW_IDS)
def test_every_question_can_be_reached_then_skipped_through_to_the_end(flow_id):
    flow = FLOWS[flow_id]
    waiting_at = _reach_every_question(flow)
    assert {node.id for node in flow.questions} <= set(waiting_at)
    for node in flow.questions:
        state = engine.skip(flow, waiting_at[node.id], node.id).state
        assert state["answers"][node.id] == {"value": None, "skipped": True}
        for _ in flow.nodes:
            if engine.is_finished(flow, state):
                break
            state = engine.skip(flow, state, state["current"]).state
        assert engine.is_finished(flow, state), node.id


# --------------------------------------------------------------------------- random walks

ACTIONS = ["answer"] * 6 + ["skip"] * 2 + ["back", "edit"]


def _values(data, node):
    if node.answer == "text":
        return [data.draw(st.one_of(st.text(max_size=40), st.just("x" * (MAX_TEXT_CHARS + 1))))]
    if node.answer == "date":  # a day near today, or something that is not a day
        near = clock.now().date().isoformat()
        return [data.draw(st.one_of(st.just(near), st.just("1999-01-01"), st.text(max_size=12)))]
    ids = [option.id for option in node.options]
    if node.answer == "multi":
        return data.draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3))
    return [data.draw(st.sampled_from(ids))]


def _check(flow, state, said):
    assert json.loads(json.dumps(state)) == state
    assert state["path"][-1] == state["current"]
    assert flow.node(state["current"]).type in ("question", "end")
    done, total = engine.progress(flow, state)
    assert 0 <= done <= total
    child_turns = [t for t in engine.transcript(flow, state) if t.kind == "child"]
    assert len(child_turns) == done
    # Nothing the child said is ever lost: the latest answer to every question they
    # answered is either on the route or parked.
    kept = {**state["parked"], **state["answers"]}
    for node_id, entry in said.items():
        assert kept[node_id] == entry


@pytest.mark.parametrize("flow_id", FLOW_IDS)
@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_a_random_conversation_always_reaches_the_end(flow_id, data):
    flow = FLOWS[flow_id]
    state = engine.begin(flow)
    said: dict[str, dict] = {}
    for step in range(3 * len(flow.nodes)):
        if engine.is_finished(flow, state) and step > len(flow.nodes) // 2:
            break
        forward_only = step >= len(flow.nodes)
        action = data.draw(st.sampled_from(ACTIONS[:8] if forward_only else ACTIONS))
        before = engine.progress(flow, state)
        node = engine.current_node(flow, state)
        if action == "back":
            state = engine.go_back(flow, state)
        elif action == "edit":
            items = engine.review_items(flow, state)
            if not items:
                continue
            node = flow.node(data.draw(st.sampled_from([item.node_id for item in items])))
            outcome = engine.submit_answer(flow, state, node.id, _values(data, node))
            assert outcome.ok or outcome.error.code in {"empty", "too_long", "bad_characters", "bad_date"}
            state = outcome.state
            if outcome.ok:
                said[node.id] = state["answers"].get(node.id) or state["parked"][node.id]
        elif node.type == "end":
            continue
        else:
            if action == "skip":
                outcome = engine.skip(flow, state, node.id)
            else:
                outcome = engine.submit_answer(flow, state, node.id, _values(data, node))
            if not outcome.ok:
                assert outcome.error.code in {"empty", "too_long", "bad_characters", "bad_date"}
                assert outcome.state == state
                outcome = engine.skip(flow, state, node.id)
            state = json.loads(json.dumps(outcome.state))  # as if stored and loaded
            said[node.id] = state["answers"][node.id]
            done, total = engine.progress(flow, state)
            assert done > before[0]
            assert total <= before[1]
            assert done / max(total, 1) >= before[0] / max(before[1], 1)
        _check(flow, state, said)
    assert engine.is_finished(flow, state)


# --------------------------------------------------------------------------- tell me more


def _skip_until(flow: Flow, state: dict, node_id: str) -> dict:
    for _ in flow.nodes:
        if state["current"] == node_id:
            return state
        state = engine.skip(flow, state, state["current"]).state
    raise AssertionError(f"never reached {node_id}")


def test_the_main_line_is_a_dozen_questions_and_every_tell_me_more_choice_opens_more():
    flow = FLOWS["pre-review"]
    at_more = _skip_until(flow, engine.begin(flow), "tell-me-more")
    main_line = [n for n in at_more["path"] if flow.node(n).is_question]
    assert len(main_line) <= 12
    # After "tell me more", a child who picks nothing goes straight to the last question.
    assert engine.skip(flow, at_more, "tell-me-more").state["current"] == "anything-else"
    for option in flow.node("tell-me-more").options:
        state = engine.submit_answer(flow, at_more, "tell-me-more", [option.id]).state
        assert state["current"] != "anything-else", f"'{option.id}' opens no questions"
