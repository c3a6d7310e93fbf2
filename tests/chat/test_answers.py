"""Answer handlers: what each type accepts, refuses and shows."""

import pytest

from tests.chat.flowkit import question
from voice.chat.answers import (
    HANDLERS,
    MAX_TEXT_CHARS,
    MESSAGES,
    AnswerError,
    ParsedAnswer,
    get_handler,
)

CHOICES = [{"id": "a", "label": "Apple"}, {"id": "b", "label": "Banana", "icon": "star"}]


def parse(answer, values, **fields):
    flow = question("q", answer, **fields)
    node = flow.node("q")
    return get_handler(answer).parse(node, values), node


def test_registry_has_one_handler_and_macro_per_type():
    assert set(HANDLERS) == {"single", "multi", "scale", "yesno", "text", "date"}
    for type_id, handler in HANDLERS.items():
        assert handler.type_id == type_id
        assert handler.template_macro == f"answer_{type_id}"
    with pytest.raises(KeyError):
        get_handler("dropdown")


def test_single_accepts_one_known_option():
    result, node = parse("single", ["b"], options=CHOICES)
    assert result == ParsedAnswer("b")
    assert get_handler("single").display(node, "b") == "Banana"


@pytest.mark.parametrize(
    ("values", "code"),
    [([], "choose_one"), ([""], "choose_one"), (["a", "b"], "choose_one"), (["c"], "unknown_option")],
)
def test_single_refuses_anything_else(values, code):
    result, _ = parse("single", values, options=CHOICES)
    assert result == AnswerError(code, MESSAGES[code])


def test_multi_keeps_option_order_and_drops_repeats():
    result, node = parse("multi", ["b", "a", "b"], options=CHOICES)
    assert result == ParsedAnswer(["a", "b"])
    assert get_handler("multi").display(node, ["a", "b"]) == "Apple, Banana"


@pytest.mark.parametrize(("values", "code"), [([], "choose_some"), (["a", "zzz"], "unknown_option")])
def test_multi_refuses_nothing_or_unknown(values, code):
    result, _ = parse("multi", values, options=CHOICES)
    assert isinstance(result, AnswerError)
    assert result.code == code


def test_scale_uses_the_faces_from_content():
    result, node = parse("scale", ["4"])
    assert result == ParsedAnswer("4")
    assert get_handler("scale").display(node, "4") == "face 4"
    assert parse("scale", ["6"])[0].code == "unknown_option"
    assert parse("scale", ["4.0"])[0].code == "unknown_option"


def test_yesno():
    assert parse("yesno", ["no"])[0] == ParsedAnswer("no")
    assert parse("yesno", ["maybe"])[0].code == "unknown_option"


def test_text_is_tidied_lightly():
    result, _ = parse("text", ["  line one\r\nline two\rthree  \n"])
    assert result == ParsedAnswer("line one\nline two\nthree")


def test_text_keeps_emoji_and_right_to_left_marks_exactly():
    words = "أريد أن أرى أخي\u200f 👨‍👩‍👧‍👦 🏳️‍🌈 ok"
    assert parse("text", [words])[0] == ParsedAnswer(words)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("hello\x00there", "bad_characters"),
        ("half an emoji \ud83d", "bad_characters"),
        ("x" * (MAX_TEXT_CHARS + 1), "too_long"),
        ("x" * 1_000_000, "too_long"),
    ],
)
def test_text_refuses_kindly(text, code):
    result, _ = parse("text", [text])
    assert isinstance(result, AnswerError)
    assert result.code == code
    assert result.message == MESSAGES[code]


def test_text_at_the_limit_is_fine():
    assert parse("text", ["é" * MAX_TEXT_CHARS])[0] == ParsedAnswer("é" * MAX_TEXT_CHARS)


def test_text_limit_counts_after_tidying():
    text = "ab\r\n" * (MAX_TEXT_CHARS // 3)  # longer than the limit only because of the \r
    assert isinstance(parse("text", [text])[0], ParsedAnswer)


def test_form_values_round_trip():
    for answer, values in [("single", ["b"]), ("multi", ["a", "b"]), ("text", ["hi"])]:
        result, _ = parse(answer, values, **({"options": CHOICES} if answer != "text" else {}))
        assert get_handler(answer).form_values(result.value) == values


def test_the_chat_has_one_handler_for_each_answer_type_content_declares():
    from voice.chat.answers import HANDLERS
    from voice.content.answer_types import ANSWER_TYPES

    assert list(HANDLERS) == list(ANSWER_TYPES)
