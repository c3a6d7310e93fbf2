"""Issue 18, fifth pass: homophones and home-language words, and the look-alikes left over
from the fourth pass (a laughing threat, a parent abroad, "reported missing" with a plan to
go back, a birthday present kept from mum, practical help).

Every example is written for these tests, not copied from the corpus: each look-alike has a
twin that says something worse, and the twin must still be a concern.
"""

from __future__ import annotations

import pytest

from tests.helpers.detector import detector, rules_only


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ("i dont no where he took me", "i dont know where he took me"),
        ("nobody even no where i am", "nobody even know where i am"),
        ("some one keeps messaging me", "someone keeps messaging me"),
        ("their is no food becos she spends it", "there is no food because she spends it"),
        ("dont tell ammi or abbu", "dont tell mum or dad"),
        ("he sed he wud hert me if i kil my self", "he said he would hurt me if i kill myself"),
        ("nobody nos were i am", "nobody knows where i am"),
        ("babcia and my wujek", "nan and my uncle"),
    ],
)
def test_homophones_and_home_language_words_are_read_as_meant(typed: str, read_as: str) -> None:
    # Both sides go through the same normaliser (which also squashes doubled letters).
    assert detector().words(typed) == detector().words(read_as)


@pytest.mark.parametrize(
    ("ordinary", "concern"),
    [
        # a threat said as a joke, and the same words about something done
        (
            "my nan said she'd strangle me if i got mud on the carpet again, she was laughing her head off",
            "my nan's boyfriend strangled me on the stairs till i couldnt breathe and then he laughed",
        ),
        # a parent somewhere else, and a child nobody can find
        (
            "my dad went back to Romania last year and I don't know where he is now, I miss him",
            "my little sister ran off from contact and I don't know where she is, she's only 9",
        ),
        # a present kept from mum, and an adult telling a child to keep things from mum
        (
            "don't tell mum about her birthday present, we got her a necklace",
            "the man at football said don't tell your mum about what we do in the changing room",
        ),
        # practical help, and a plea for help
        (
            "can someone help me move my stuff to the new flat on saturday, I've got loads of bags",
            "can someone help me please I can't stay here tonight he's going mental",
        ),
        # a fire drill, and a punishment
        (
            "the fire alarm went off at lunch and we all stood outside in the cold for ages",
            "she made me stand outside in the cold for hours as a punishment for being cheeky",
        ),
        # a repair done, and a house left cold
        (
            "the boiler broke so no heating on monday but the man came and fixed it on tuesday",
            "the heating's been off since october and we sleep in our coats, she says it's too dear",
        ),
        # a joke threat about a game, and a threat about telling
        (
            "my foster dad says he will kill me if I beat him at FIFA again haha",
            "my dad said he will kill me if i tell anyone what he does",
        ),
        # baby photos as a joke threat, and pictures used to force more
        (
            "my mum says if i dont tidy my room she will post my baby photos on facebook lol",
            "he said if i dont send more he will share the old ones with my whole school",
        ),
        # warming a hand, and a hand held against something hot
        (
            "I held my hand under the hot tap to warm it up after the snowball fight",
            "i got a burn on my arm when my step dad held it against the radiator",
        ),
        # a game secret, and a secret with an adult
        (
            "me and my best mate have a secret handshake lol dont tell anyone",
            "my uncle says I must never tell anyone what happened at his house in the holidays",
        ),
    ],
)
def test_look_alike_is_silent_and_its_twin_is_a_concern(ordinary: str, concern: str) -> None:
    quiet = detector().check(ordinary)
    assert not quiet.concern, (ordinary, quiet)
    loud = detector().check(concern)
    assert loud.concern and loud.rules != ("classifier",), (concern, loud)


@pytest.mark.parametrize(
    "text",
    [
        "I was reported missing",
        "the police got told I was missing again, I stayed at some man's flat and don't know the address",
        # over, it says, but going back is planned
        "I know I was reported missing last month and I'm fine now, but I might go back there this weekend",
    ],
)
def test_being_reported_missing_fires_even_when_said_to_be_fine(text: str) -> None:
    result = rules_only().check(text)
    assert result.concern and "missing" in result.categories, (text, result)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("the man at madrasa said dont tell your ammi about what we do after class", "secret"),
        ("tata is drunk every contact and him and his girlfriend throw plates", "unsafe-at-home"),
        ("a guy pays me to carry little packets to different houses on my bike", "criminal-exploitation"),
        ("sorry for everything. give my xbox to my brother when im gone", "self-harm"),
        ("i aint had my inhaler for weeks cos nobody gets me a new one", "neglect"),
        ("mums boyfriend keeps coming in when im in the bath and just stands there", "sexual-harm"),
        ("she put the iron on my arm to learn me a lesson", "physical-harm"),
    ],
)
def test_a_situation_in_a_new_writer_s_words_finds_its_category(text: str, category: str) -> None:
    result = rules_only().check(text)
    assert category in result.categories, (text, result)
