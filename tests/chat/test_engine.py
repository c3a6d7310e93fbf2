"""The conversation engine, on a flow made for tests (tests/data/flows/chat-test.yaml)."""

import copy
import json

import pytest

from tests.chat.flowkit import chat_test_flow
from voice.chat import engine
from voice.chat.engine import ReviewItem, Turn

FLOW = chat_test_flow()


def answer(state, node_id, *values):
    outcome = engine.submit_answer(FLOW, state, node_id, list(values))
    assert outcome.ok, outcome.error
    return outcome.state


def skip(state, node_id):
    outcome = engine.skip(FLOW, state, node_id)
    assert outcome.ok, outcome.error
    return outcome.state


def current(state):
    return engine.current_node(FLOW, state).id


def questions_on_path(state):
    return [node_id for node_id in state["path"] if FLOW.node(node_id).is_question]


def happy_path():
    state = engine.begin(FLOW)
    state = answer(state, "feel", "4")
    state = answer(state, "pets", "dog", "cat")
    state = answer(state, "siblings", "yes")
    state = answer(state, "siblings-often", "month")
    return answer(state, "colour", "blue")


# --------------------------------------------------------------------------- begin


def test_begin_passes_the_opening_messages_and_waits_at_the_first_question():
    state = engine.begin(FLOW)
    assert state == {
        "format": 1,
        "flow": "chat-test",
        "flow_version": 2,
        "current": "feel",
        "path": ["hello", "hello-again", "feel"],
        "answers": {},
        "parked": {},
    }
    assert engine.current_node(FLOW, state).text == "How do you feel?"
    assert not engine.is_finished(FLOW, state)


def test_a_state_for_another_flow_is_a_programming_error():
    state = engine.begin(FLOW) | {"flow": "something-else"}
    with pytest.raises(ValueError, match="something-else"):
        engine.current_node(FLOW, state)


# --------------------------------------------------------------------------- each answer type


def test_answering_every_type_reaches_the_end():
    state = happy_path()
    assert engine.is_finished(FLOW, state)
    assert engine.current_node(FLOW, state).id == "bye"
    assert state["answers"] == {
        "feel": {"value": "4", "skipped": False},
        "pets": {"value": ["cat", "dog"], "skipped": False},
        "siblings": {"value": "yes", "skipped": False},
        "siblings-often": {"value": "month", "skipped": False},
        "colour": {"value": "blue", "skipped": False},
    }
    assert state["path"][-2:] == ["last-words", "bye"]


def test_free_text_is_stored_tidied():
    state = answer(engine.begin(FLOW), "feel", "1")
    assert current(state) == "feel-low"
    state = answer(state, "feel-low", "  a hug 🤗\r\nand chips  ")
    assert state["answers"]["feel-low"] == {"value": "a hug 🤗\nand chips", "skipped": False}
    assert current(state) == "pets"


def test_functions_never_change_the_state_they_are_given():
    state = engine.begin(FLOW)
    before = copy.deepcopy(state)
    answer(state, "feel", "1")
    skip(state, "feel")
    engine.go_back(FLOW, answer(state, "feel", "3"))
    engine.transcript(FLOW, state)
    assert state == before


# --------------------------------------------------------------------------- bad answers


@pytest.mark.parametrize(
    ("node_id", "values", "code"),
    [
        ("feel", ["9"], "unknown_option"),
        ("feel", [], "choose_one"),
        ("feel", ["1", "2"], "choose_one"),
        ("feel-low", ["hi\x00"], "bad_characters"),
        ("feel-low", ["x" * 1_000_000], "too_long"),
        ("feel-low", ["   "], "empty"),
        ("pets", ["cat", "unicorn"], "unknown_option"),
    ],
)
def test_bad_answers_give_a_kind_error_and_leave_the_state_alone(node_id, values, code):
    state = engine.begin(FLOW)
    if node_id != "feel":
        state = answer(state, "feel", "1")
    if node_id == "pets":
        state = skip(state, "feel-low")
    before = copy.deepcopy(state)
    outcome = engine.submit_answer(FLOW, state, node_id, values)
    assert not outcome.ok
    assert outcome.error.code == code
    assert outcome.error.message
    assert outcome.state == before


# --------------------------------------------------------------------------- skip


def test_every_question_can_be_skipped_to_the_end():
    state = engine.begin(FLOW)
    while not engine.is_finished(FLOW, state):
        state = skip(state, current(state))
    assert all(entry == {"value": None, "skipped": True} for entry in state["answers"].values())
    assert questions_on_path(state) == ["feel", "pets", "siblings", "colour"]


def test_skipping_the_end_node_is_stale():
    state = engine.begin(FLOW)
    while not engine.is_finished(FLOW, state):
        state = skip(state, current(state))
    assert engine.skip(FLOW, state, "bye").error.code == "stale"


# --------------------------------------------------------------------------- branches


@pytest.mark.parametrize(
    ("face", "next_question"), [("1", "feel-low"), ("2", "feel-low"), ("3", "pets"), ("5", "pets")]
)
def test_branch_on_a_face(face, next_question):
    assert current(answer(engine.begin(FLOW), "feel", face)) == next_question


def test_a_skipped_question_never_matches_in():
    assert current(skip(engine.begin(FLOW), "feel")) == "pets"


def test_branch_on_answered_false_and_skipped_true():
    state = skip(skip(engine.begin(FLOW), "feel"), "pets")
    assert "pets-none" in state["path"]  # answered: false holds for a skip
    state = skip(state, "siblings")
    assert "siblings-skipped" in state["path"]  # skipped: true
    assert current(state) == "colour"


def test_first_matching_branch_wins_and_default_otherwise():
    state = answer(skip(engine.begin(FLOW), "feel"), "pets", "fish")
    assert "pets-none" not in state["path"]
    assert current(answer(state, "siblings", "yes")) == "siblings-often"
    assert current(answer(state, "siblings", "no")) == "colour"


# --------------------------------------------------------------------------- back


def test_back_steps_to_the_previous_question_and_keeps_answers():
    state = answer(answer(engine.begin(FLOW), "feel", "4"), "pets", "cat")
    back = engine.go_back(FLOW, state)
    assert current(back) == "pets"
    assert back["answers"] == state["answers"]
    assert back["path"][-1] == "pets"
    assert engine.prefill_values(FLOW, back, "pets") == ["cat"]
    assert current(engine.go_back(FLOW, back)) == "feel"


def test_back_at_the_first_question_stays_put():
    state = engine.begin(FLOW)
    assert engine.go_back(FLOW, state) == state


def test_back_from_the_end_and_answer_again_returns_to_the_end():
    state = happy_path()
    back = engine.go_back(FLOW, state)
    assert current(back) == "colour"
    assert not engine.is_finished(FLOW, back)
    assert engine.is_finished(FLOW, answer(back, "colour", "red"))


def test_answering_after_going_back_carries_on_to_the_first_unanswered_question():
    state = answer(answer(answer(engine.begin(FLOW), "feel", "4"), "pets", "cat"), "siblings", "no")
    back = engine.go_back(FLOW, engine.go_back(FLOW, state))
    assert current(back) == "pets"
    again = answer(back, "pets", "dog")
    assert current(again) == "colour"
    assert again["answers"]["siblings"] == {"value": "no", "skipped": False}


def test_the_transcript_after_back_stops_at_the_question_being_asked_again():
    back = engine.go_back(FLOW, answer(answer(engine.begin(FLOW), "feel", "4"), "pets", "cat"))
    turns = engine.transcript(FLOW, back)
    assert turns[-1] == Turn("bot", "pets", "Which pets do you like?")
    assert [turn.node_id for turn in turns if turn.kind == "child"] == ["feel"]


# --------------------------------------------------------------------------- edits


def test_editing_an_earlier_answer_that_changes_the_branch_parks_what_is_lost():
    state = answer(engine.begin(FLOW), "feel", "1")
    state = answer(state, "feel-low", "my own room")
    state = answer(state, "pets", "cat")
    state = answer(state, "siblings", "yes")
    state = answer(state, "siblings-often", "week")
    state = answer(state, "colour", "red")
    assert engine.is_finished(FLOW, state)

    # From the review page: change "feel", then "siblings".
    edited = answer(state, "feel", "5")
    assert "feel-low" not in edited["answers"]
    assert edited["parked"] == {"feel-low": {"value": "my own room", "skipped": False}}
    assert engine.is_finished(FLOW, edited)
    edited = answer(edited, "siblings", "no")
    assert set(edited["parked"]) == {"feel-low", "siblings-often"}
    assert [item.node_id for item in engine.parked_items(FLOW, edited)] == [
        "feel-low",
        "siblings-often",
    ]
    assert [item.node_id for item in engine.review_items(FLOW, edited)] == [
        "feel",
        "pets",
        "siblings",
        "colour",
    ]

    # Changing back brings the parked answers back with their questions.
    restored = answer(answer(edited, "feel", "2"), "siblings", "yes")
    assert restored["answers"] == state["answers"] | {
        "feel": {"value": "2", "skipped": False},
    }
    assert restored["parked"] == {}
    assert engine.is_finished(FLOW, restored)


def test_an_edit_that_opens_a_new_question_moves_current_there():
    state = happy_path()
    edited = answer(state, "feel", "2")
    assert current(edited) == "feel-low"
    assert not engine.is_finished(FLOW, edited)
    assert current(answer(edited, "feel-low", "sleep")) == "bye"


def test_skipping_an_earlier_answer_is_an_edit():
    state = skip(happy_path(), "siblings")
    assert state["answers"]["siblings"] == {"value": None, "skipped": True}
    assert "siblings-often" in state["parked"]
    assert "siblings-skipped" in state["path"]


# --------------------------------------------------------------------------- out-of-step posts


def test_double_posting_the_same_answer_is_harmless():
    once = answer(engine.begin(FLOW), "feel", "4")
    twice = engine.submit_answer(FLOW, once, "feel", ["4"])
    assert twice.ok
    assert twice.state == once
    assert engine.skip(FLOW, skip(once, "pets"), "pets").state == skip(once, "pets")


@pytest.mark.parametrize("node_id", ["siblings", "siblings-often", "no-such-node", "hello", "feel-check"])
def test_posts_for_questions_not_reached_yet_or_not_questions_are_stale(node_id):
    state = answer(engine.begin(FLOW), "feel", "4")
    for outcome in (
        engine.submit_answer(FLOW, state, node_id, ["yes"]),
        engine.skip(FLOW, state, node_id),
    ):
        assert outcome.error.code == "stale"
        assert outcome.state == state


def test_a_post_for_a_question_no_longer_on_the_route_is_stale():
    state = answer(answer(engine.begin(FLOW), "feel", "1"), "feel-low", "x")
    state = answer(state, "feel", "4")  # feel-low is parked now
    outcome = engine.submit_answer(FLOW, state, "feel-low", ["y"])
    assert outcome.error.code == "stale"
    assert outcome.state["parked"]["feel-low"]["value"] == "x"


def test_an_edit_with_a_bad_value_is_refused_and_changes_nothing():
    state = happy_path()
    outcome = engine.submit_answer(FLOW, state, "colour", ["green"])
    assert outcome.error.code == "unknown_option"
    assert outcome.state == state


# --------------------------------------------------------------------------- progress


def test_progress_counts_done_questions_and_the_longest_route_left():
    state = engine.begin(FLOW)
    # Longest route: feel, feel-low, pets, siblings, siblings-often, colour.
    assert engine.progress(FLOW, state) == (0, 6)
    state = answer(state, "feel", "4")  # feel-low is passed by
    assert engine.progress(FLOW, state) == (1, 5)
    finished = happy_path()
    assert engine.progress(FLOW, finished) == (5, 5)


def test_progress_never_goes_backwards_when_moving_forward():
    steps = [("feel", ["1"]), ("feel-low", ["x"]), ("pets", []), ("siblings", ["no"]), ("colour", ["red"])]
    state = engine.begin(FLOW)
    last_done, last_total = engine.progress(FLOW, state)
    for node_id, values in steps:
        state = answer(state, node_id, *values) if values else skip(state, node_id)
        done, total = engine.progress(FLOW, state)
        assert done == last_done + 1
        assert total <= last_total
        assert done / total >= last_done / last_total
        last_done, last_total = done, total
    assert done == total


# --------------------------------------------------------------------------- transcript and review


def test_transcript_shows_bot_words_and_the_childs_answers():
    state = skip(answer(answer(engine.begin(FLOW), "feel", "2"), "feel-low", "a hug"), "pets")
    assert engine.transcript(FLOW, state) == [
        Turn("bot", "hello", "Hello.", rights=("article-12",)),
        Turn("bot", "hello-again", "Two messages in a row."),
        Turn("bot", "feel", "How do you feel?", rights=("article-24",), icons=("home",)),
        Turn("child", "feel", "Bad", icons=("face-2",)),
        Turn("bot", "feel-low", "What would help?"),
        Turn("child", "feel-low", "a hug"),
        Turn("bot", "pets", "Which pets do you like?"),
        Turn("child", "pets", "", skipped=True),
        Turn("bot", "pets-none", "No pets, no problem."),
        Turn("bot", "siblings", "Any brothers or sisters?"),
    ]


def test_transcript_ends_with_the_end_nodes_words():
    turns = engine.transcript(FLOW, happy_path())
    assert turns[-1] == Turn("bot", "bye", "Bye!")
    assert Turn("child", "pets", "Cats, Dogs", icons=("star",)) in turns


def test_review_items_list_every_answer_in_order():
    state = skip(happy_path(), "colour")
    assert engine.review_items(FLOW, state) == [
        ReviewItem("feel", "mood", "How do you feel?", "Good", False, "scale", "4"),
        ReviewItem("pets", "pets", "Which pets do you like?", "Cats, Dogs", False, "multi", ["cat", "dog"]),
        ReviewItem("siblings", "family", "Any brothers or sisters?", "Yes", False, "yesno", "yes"),
        ReviewItem(
            "siblings-often", "family", "How often do you see them?", "Every month", False, "single", "month"
        ),
        ReviewItem("colour", "other", "Red or blue?", "", True, "single", None),
    ]


def test_review_items_after_going_back_still_list_later_answers():
    state = engine.go_back(FLOW, engine.go_back(FLOW, happy_path()))
    assert len(engine.review_items(FLOW, state)) == 5


# --------------------------------------------------------------------------- storage


def test_state_survives_a_json_round_trip_and_carries_on():
    state = answer(answer(engine.begin(FLOW), "feel", "2"), "feel-low", "🙂 \u200fمرحبا")
    stored = json.loads(json.dumps(state))
    assert stored == state
    state = answer(stored, "pets", "fish")
    state = json.loads(json.dumps(engine.go_back(FLOW, state)))
    state = answer(state, "pets", "fish", "cat")
    state = json.loads(json.dumps(state))
    state = answer(answer(state, "siblings", "no"), "colour", "red")
    assert engine.is_finished(FLOW, json.loads(json.dumps(state)))
    assert state["answers"]["feel-low"]["value"] == "🙂 \u200fمرحبا"


def test_a_state_with_answers_to_unknown_nodes_parks_them():
    state = answer(engine.begin(FLOW), "feel", "4")
    state["answers"]["removed-question"] = {"value": "kept", "skipped": False}
    assert engine.transcript(FLOW, state)  # no crash
    assert engine.go_back(FLOW, state)["parked"] == {"removed-question": {"value": "kept", "skipped": False}}
