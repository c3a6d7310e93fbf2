"""Issue 18, sixth pass: what fourteen new writers' sources showed the rules missing
(goodbye notes said as plans, injuries hidden or explained away, debts made from gifts,
Scots and Northern words) and what they showed firing on ordinary messages (a team
"battered", a dare off the diving board, a question about what a parent is told).

Every example is written for these tests, not copied from the corpus: each look-alike has a
twin that says something worse, and the twin must still be a concern found by the rules.
"""

from __future__ import annotations

import pytest

from tests.helpers.detector import (
    assert_look_alike_silent_and_twin_raised,
    assert_situation_and_look_alike,
    detector,
    rules_only,
)


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ("he telt me tae shut it", "he told me tae shut it"),
        ("she gied me a row aboot it", "she gave me a row about it"),
        ("my granda came back fae the pub bladdered", "my grandad came back from the pub drunk"),
        ("whit he did", "what he did"),
    ],
)
def test_scots_and_northern_words_are_read_as_meant(typed: str, read_as: str) -> None:
    assert detector().words(typed) == detector().words(read_as)


def test_none_stays_none_and_noone_is_no_one() -> None:
    """ "noone" (text-speak for "no one") squashed its doubled letter onto "none", so "none"
    was read as the negation "no one" and set aside the rule after it."""
    read = detector().words("I said I had none, he shoved me")
    assert read == ["i", "said", "i", "had", "none", "he", "shoved", "me"]
    assert detector().words("noone listens") == ["no", "one", "listens"]
    assert detector().check("I said I had none, he shoved me").concern
    assert not detector().check("none of my mates came to the match").concern


@pytest.mark.parametrize(
    ("ordinary", "concern"),
    [
        # a team beaten, and a child beaten
        (
            "rovers got absolutely battered on saturday, 5-1 at home",
            "i got battered by my step dad on saturday and my lip is split",
        ),
        # feeling low after a match, and feeling dead inside every day
        (
            "city got thrashed in the derby and honestly im dead inside",
            "i feel dead inside every day and i dont see the point",
        ),
        # a dare at the pool, and a jump meant to end things
        (
            "we all had to jump off the top diving board in swimming and it was brilliant",
            "i keep thinking about going to the bridge and jumping off",
        ),
        # running from a wasp, and running from home
        (
            "my sister ran off screaming from a wasp at the picnic",
            "i ran off from my placement last night and slept in the park",
        ),
        # a question about leaving care, and being put out of home
        (
            "will i get kicked out of my placement when i turn 18",
            "my mum kicked me out last night and i slept at the bus station",
        ),
        # asking what a parent is told, and an online stranger asking for an address
        (
            "does my birth mum get told where i live now",
            "a man on snapchat keeps asking me to send him where i live",
        ),
        # a trusted worker, and an adult online saying no one understands you like him
        (
            "can my youth worker come to the meeting, she knows me better than anyone",
            "this guy i met on discord says he knows me better than my carers do",
        ),
        # asking for privacy, and being told to keep a secret
        (
            "i dont want my new college to know im in care, can they keep it private",
            "he told me to keep it a secret between us or i would be in trouble",
        ),
        # a trainers plug, and carrying for someone
        (
            "my plug for trainers sorted me some creps for half price",
            "an older lad gives me money to carry packages to houses after school",
        ),
        # a bruise from a ball in PE, and a bruise from an adult hidden in PE
        (
            "got smacked in the face with a netball in PE, massive bruise but fine",
            "my step dad smacked me and i hid the marks in PE so no one asks",
        ),
        # a horror film, and a stabbing seen at home
        (
            "watched a horror with my foster brother and a guy gets stabbed in it, so scary lol",
            "my uncle got stabbed outside our house and i saw it from my window",
        ),
    ],
)
def test_look_alike_is_silent_and_its_twin_is_a_concern(ordinary: str, concern: str) -> None:
    assert_look_alike_silent_and_twin_raised(ordinary, concern)


@pytest.mark.parametrize(
    ("ordinary", "concern", "category"),
    [
        # moving on, and a goodbye
        (
            "thanks for everything, i wont need the homework club after this week cos i start football",
            "thanks for everything miss. i wont need the review after this week. give my ps4 to my brother",
            "self-harm",
        ),
        (
            "i wrote christmas cards for everyone in my class",
            "i wrote letters for everyone and put them under my pillow",
            "self-harm",
        ),
        # a bruise from sport said plainly, and a mark hidden so school will not see
        (
            "i fell off the climbing wall at the centre and my arm is bruised, staff put ice on it",
            "i wore my jumper all day so miss wouldnt see the marks on my arm from where he grabbed me",
            "physical-harm",
        ),
        # what really happened, and a cover story
        (
            "i told miss about the netball tournament and she said well done",
            "she said tell people i did it at netball but it was her that pushed me",
            "physical-harm",
        ),
        # warming a hand, and a hand held on something hot
        (
            "nan held my hand on the way to the shop and we got hot chocolate",
            "my carer held my hand on the hot hob because i took biscuits",
            "physical-harm",
        ),
        # owing a mate for chips, and a gift turned into a debt
        (
            "i owe my mate a quid for the chips",
            "he gave me trainers and a phone and now he says i owe him and i have to drop a bag off",
            "criminal-exploitation",
        ),
        # a medicine sorted, and a medicine left for weeks
        (
            "my inhaler ran out today so my carer got a new one from the chemist",
            "my inhaler ran out weeks ago and nobody has got me a new one",
            "neglect",
        ),
        # no pudding, and no tea again
        (
            "no pudding tonight because we had cake at school",
            "no dinner again tonight, just me and my brother sharing crisps",
            "neglect",
        ),
        # a new gift from dad, and a gift from someone online
        (
            "my dad sent me a new phone for my birthday",
            "a lad off tiktok sent me a new phone and says its our thing",
            "online-grooming",
        ),
        # a surprise kept, and an adult paying for silence
        (
            "dont mention the party to mum, its a surprise",
            "my uncle gave me a fiver for keeping my mouth shut about what i saw",
            "secret",
        ),
        # drinking at a party, and a parent drunk at contact
        (
            "my mum had one glass of wine at christmas dinner",
            "my dad was drunk at contact again and shouted at the worker",
            "unsafe-at-home",
        ),
        # sneaking a snack, and sneaking out in the dark
        (
            "me and my brother sneak down for biscuits when everyone is asleep",
            "i keep sneaking out at night to meet older kids at the park",
            "missing",
        ),
    ],
)
def test_a_situation_in_a_new_writer_s_words_and_its_look_alike(
    ordinary: str, concern: str, category: str
) -> None:
    assert_situation_and_look_alike(ordinary, concern, category)


@pytest.mark.parametrize(
    "text",
    [
        # a hidden injury is not "sport" because PE is mentioned
        "my foster dad hit me with his belt so i keep my vest on in PE so no one asks",
        # a cover story told at football is not a football injury
        "mums boyfriend kicked me at home visit, told everyone i did it at football",
        # not over when it still feels unsafe
        "i dont feel safe at my nans no more, her sons come round drunk and fight",
    ],
)
def test_a_benign_setting_does_not_hide_a_concern_told_inside_it(text: str) -> None:
    result = rules_only().check(text)
    assert result.concern, (text, result)
