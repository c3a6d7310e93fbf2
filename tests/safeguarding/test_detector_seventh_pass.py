"""Issue 18, seventh pass: what seven spent independent sets (writers O, P, Q, Y, Z1-Z3)
showed the rules missing once they joined the corpus (self-harm said only as a way of coping,
a day chosen with tablets counted, things given away with a sorry; a question "is a carer
allowed to slap you? mine does"; a sibling's nappy left; safe foods withheld) and what they
showed firing on ordinary messages (jokes marked "lol" or with a laughing face, a resolved
past, being pushed on a swing, a mate who threw up at a party, asking to see the reviewing
officer alone).

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


def test_a_laughing_face_is_read_as_lol() -> None:
    assert detector().words("so bad 😂") == detector().words("so bad lol")
    assert detector().words("that was jokes 🤣🤣") == ["that", "was", "jokes", "lol", "lol"]
    # An emoji-only message is still one the detector cannot judge by its words.
    assert detector().check("😂😂😂").read_soon


@pytest.mark.parametrize(
    ("ordinary", "concern", "category"),
    [
        # a kitchen accident, and a burn used to cope
        (
            "burnt my hand on the hob making pancakes, proper stung",
            "i burn my hand on the cooker when everything gets too much, its the only thing that helps",
            "self-harm",
        ),
        (
            "i bite my nails when i get stressed before exams",
            "i scratch my arms when my head gets too loud until it calms down",
            "self-harm",
        ),
        # a day picked for a trip, and a day picked with tablets
        (
            "we picked saturday as the day for the cinema trip",
            "ive saved mums pills and i have decided sunday will be the day",
            "self-harm",
        ),
        # a carer counting tablets out, and a child counting them
        (
            "my carer counts my tablets out every morning into the box",
            "i have counted the tablets in the bathroom cupboard, there is enough",
            "self-harm",
        ),
        # a last form at school, and a last message with thanks
        (
            "this is my last form for the trip, mrs khan has the money",
            "this is my last message so thank you for being kind to me",
            "self-harm",
        ),
        # presents sorted, and belongings given out with a sorry
        (
            "ive sorted what i want my nan to get me for christmas",
            "ive written down who i want to have my xbox and my hoodies. sorry for everything",
            "self-harm",
        ),
        # love passed on after contact, and thanks to those who tried
        (
            "tell my brother i love him, thanks for taking me to contact",
            "thanks to everyone who tried with me. tell my mum i love her",
            "self-harm",
        ),
        # a hood up in the rain, and a bag over the head
        (
            "i put my hood over my head cos it was raining",
            "i put a plastic bag over my head last night",
            "self-harm",
        ),
        # cleaning with bleach, and drinking it
        (
            "i helped clean the bathroom with bleach and got a pound",
            "i want to drink the bleach under the sink",
            "self-harm",
        ),
        # a rule asked about, and a rule asked about because it happens
        (
            "are carers allowed to look at your phone? mine does",
            "are foster carers allowed to slap you? mine does it when i answer back",
            "physical-harm",
        ),
        # a mate sick at a party, and a drunk adult holding someone by the neck
        (
            "my mate got drunk at the party and threw up in the garden, wasnt me",
            "dad pinned his girlfriend against the wall by her neck and we were screaming",
            "unsafe-at-home",
        ),
        (
            "im worried what the teacher will say if i dont finish my project",
            "im scared what he will do if i dont go to his on saturday",
            "unsafe-at-home",
        ),
        # a night bus home, and riding buses till morning
        (
            "we rode the bus till the end of the line on the school trip",
            "i sat on the night bus till the morning cos i didnt want to go back",
            "missing",
        ),
        # a tent on a camping trip, and a bus shelter for the night
        (
            "we slept in a tent at the scout camp and it rained",
            "i slept in the bus shelter by the shops last night",
            "missing",
        ),
        # a holiday for the family, and carers away leaving the child
        (
            "my carers went to cornwall for a week and took me and my brother",
            "my foster carers went to turkey for five days and left me with a bag of pasta",
            "neglect",
        ),
        # a full nappy changed, and one left for hours
        (
            "my baby brother did a smelly nappy and mum changed him straight away",
            "at contact my baby sister had a heavy nappy that hadnt been changed all day",
            "neglect",
        ),
        # a brother starving after football, and a sister starving at contact
        (
            "my brother ate his chips like he was starving after football lol",
            "at contact my little sister ate like she hadnt eaten for ages and her clothes smell",
            "neglect",
        ),
        # a changed brand, and safe foods withheld
        (
            "my carer bought a different cereal and i actually like it",
            "im autistic and only eat a few safe foods but my carer wont buy them any more",
            "neglect",
        ),
        (
            "we had pancakes for three days at the caravan",
            "ive had just bread and water for three days",
            "neglect",
        ),
        # a crush kept secret, and being told not to tell what happens
        (
            "my mate told me not to tell anyone about who she fancies",
            "my carer told me not to tell anyone what happens here",
            "secret",
        ),
        # a rule about biscuits, and an adult's "just between me and him"
        (
            "my carer says the biscuit tin is out of bounds lol",
            "the man at the shop says its just between me and him and gives me sweets to keep quiet",
            "secret",
        ),
        # a scary film, and being made to watch sexual videos
        (
            "my cousin made me watch a scary film and i couldnt sleep",
            "an older boy made me watch dirty videos on his phone",
            "sexual-harm",
        ),
    ],
)
def test_a_situation_in_a_new_writer_s_words_and_its_look_alike(
    ordinary: str, concern: str, category: str
) -> None:
    assert_situation_and_look_alike(ordinary, concern, category)


@pytest.mark.parametrize(
    ("ordinary", "concern"),
    [
        # a food-poisoning joke, and a poisoning plan
        (
            "the fish smelt off so we binned it, dont wanna poison myself lol",
            "i want to poison myself with the tablets in the kitchen",
        ),
        # a joke about an awkward meeting, and the sea as a plan
        (
            "reviews make me want to walk into the sea lol so awkward",
            "i want to walk into the sea tonight and not come back",
        ),
        # a joke marked with a laughing face, and the same words meant
        (
            "my carers singing makes me want to die 😂",
            "i want to die, every day is the same",
        ),
        # a photo of a bus for a brother abroad, and an adult asking for photos
        (
            "my brother back home keeps asking me to send photos of the red buses lol",
            "a man on snapchat keeps asking me to send photos of me in my pjs",
        ),
        # pushed on the swings, and pushed over
        (
            "nan pushes me on the big swing at the park and i go so high",
            "my carer pushes me when im slow and i hit my head on the door",
        ),
        # another child hit at school, and the child hit
        (
            "a year 10 got punched at school today, teachers broke it up, wasnt me",
            "i got punched by my foster brother and he says he will do it again",
        ),
        # bruises from rugby, and bruises from a carer
        (
            "came home covered in bruises from rugby again, coach says its part of the game",
            "my legs are covered in bruises from where my step dad kicks me",
        ),
        # worrying before a new school, and being unwanted at home
        (
            "new school on monday, what if nobody likes me",
            "nobody in this house likes me, they leave me out of everything",
        ),
        # asking to see the reviewing officer alone, and asking to talk because of home
        (
            "can i speak to my iro on my own before the review",
            "can i talk to you without my carers there, im scared at home",
        ),
        # an empty fridge and a takeaway, and an empty fridge for days
        (
            "no food in the house cos we forgot the shop so we got a takeaway",
            "no food in the house for days again and nobody has done a shop",
        ),
        # a crush told in secret, and an adult's secret
        (
            "dont tell anyone but i fancy a girl in my maths class",
            "dont tell anyone but my carers boyfriend comes in my room at night",
        ),
        # a present for mothers day, and a secret from an adult
        (
            "i have a secret, i got my carer a mug for mothers day and she doesnt know yet",
            "i have a secret a grown up told me to keep and i dont like it",
        ),
        # dying in a game, and being stabbed for real
        (
            "died on the final boss about twenty times, got stabbed every time lol",
            "i got stabbed in the park last week and i am scared to go out",
        ),
    ],
)
def test_look_alike_is_silent_and_its_twin_is_a_concern(ordinary: str, concern: str) -> None:
    assert_look_alike_silent_and_twin_raised(ordinary, concern)


@pytest.mark.parametrize(
    ("over", "going_on"),
    [
        (
            "when i was little i used to get hit at my dads but ive lived with my nan for five years. "
            "it doesnt bother me anymore",
            "when i was little i used to get hit at my dads and he still hits me when i go for contact",
        ),
        (
            "i used to run off all the time but i havent once since i moved here, i like it",
            "i used to run off and i ran off again last night",
        ),
        (
            "i used to hurt myself but i had camhs and i havent done it for over a year. proud of that",
            "i used to hurt myself and i started again this week",
        ),
        (
            "when i first came here i ran off to the park but that was when i was 8, i like it here now",
            "when i first came here i ran off and i still do when they shout",
        ),
    ],
)
def test_a_past_told_as_over_is_quiet_and_a_past_still_going_on_is_not(over: str, going_on: str) -> None:
    assert not rules_only().check(over).concern, over
    assert rules_only().check(going_on).concern, going_on


@pytest.mark.parametrize(
    "text",
    [
        # a rights question inside news about football
        "we won 2-0 and i scored! also are carers allowed to hit you? mine did it last night",
        # "what happens if I tell" after being told not to tell
        "my carer told me not to tell anyone what happens here. what happens if i tell?",
        # a question about a secret, with sweets given to keep it
        "is it ok to keep a secret if a grown up gives me sweets to keep quiet?",
        # food gone for days is not "over" because the carer "stopped" buying it
        "my carer stopped buying my safe foods and i have had crackers for four days",
    ],
)
def test_a_benign_setting_does_not_hide_a_concern_told_inside_it(text: str) -> None:
    result = rules_only().check(text)
    assert result.concern, (text, result)


# Writers AK-AR joined the corpus during this pass and were measured before anyone read them
# (bench/README.md); the rules below were written afterwards, from their misses.
@pytest.mark.parametrize(
    ("ordinary", "concern", "category"),
    [
        (
            "i wear leggings under my skirt so nobody sees my knees when i do cartwheels",
            "i wear long sleeves even when its hot so nobody sees my arms",
            "self-harm",
        ),
        (
            "sorry for being late, i wont be at football on tuesday",
            "sorry for being so much trouble. i wont be at the review",
            "self-harm",
        ),
        (
            "how many paracetamol can i take for a headache",
            "whats the most tablets you can take before it does something bad",
            "self-harm",
        ),
        (
            "i want my sister to have my old bike cos i got a new one",
            "i want my brother to have my headphones if i die. im serious",
            "self-harm",
        ),
        (
            "how high does a bridge have to be for a ship to go under it",
            "how high does a car park have to be for it to... forget i asked",
            "self-harm",
        ),
        (
            "my sharpener blade fell out so i got a new one from the shop",
            "i took the blade out of my sharpener and did lines on my arm",
            "self-harm",
        ),
        (
            "my big cousin holds me upside down and i laugh so much",
            "he holds me down and sits on me till i cant breathe",
            "physical-harm",
        ),
        (
            "he does the belt up for me cos the buckle is stiff",
            "he does the belt when i come in late",
            "physical-harm",
        ),
        (
            "got a bruise from netball, its from the ball",
            "the marks on my legs arent from netball like i told miss",
            "physical-harm",
        ),
        (
            "the fridge is full and the cupboards are tidy",
            "the fridge gets locked at night so i had nothing after school",
            "neglect",
        ),
        (
            "my inhaler ran out so carer got me a new one today",
            "my medicine is finished long time ago and nobody gets more",
            "neglect",
        ),
        (
            "my carer takes me to the dentist on friday",
            "my carer doesnt take me to the doctor even when im really ill",
            "neglect",
        ),
        (
            "my mum says im the reason she smiles",
            "she says im the reason my mum didnt want me",
            "emotional-harm",
        ),
        (
            "i read my diary out in english and everyone clapped",
            "she read my diary out at dinner so everyone laughed",
            "emotional-harm",
        ),
        (
            "we had to sit in the car while dad got petrol",
            "they make me eat in the garage on my own",
            "emotional-harm",
        ),
        (
            "what happens at the sleepover is that we watch films",
            "coach says what happens on away trips stays between us",
            "secret",
        ),
        (
            "i promised my mate i would go to her party",
            "he said bad things will happen to my brother if i tell",
            "secret",
        ),
    ],
)
def test_a_situation_from_the_new_writers_and_its_look_alike(
    ordinary: str, concern: str, category: str
) -> None:
    assert_situation_and_look_alike(ordinary, concern, category)


@pytest.mark.parametrize(
    ("ordinary", "concern"),
    [
        ("i cut my own fringe with the kitchen scissors", "i cut my arm with the kitchen scissors"),
        (
            "my carer said shell kill me if i get mud on the carpet again, she was joking",
            "my carer said shell kill me if i tell anyone and she grabbed my neck",
        ),
        ("will my birth mum know where i live? i dont mind", "the men know where i live and say i owe them"),
        (
            "they cant stop me seeing my family just cos im a traveller, is that true",
            "i cant stop going to their flat because i owe them for the phone",
        ),
        ("the pony kicked me when i was brushing her, my own fault", "my step dad kicked me in the leg"),
        (
            "we watched rocky and he gets battered in the last fight",
            "i got battered by my carers son last night",
        ),
        ("just got stabbed by a zombie in my game lol", "i got stabbed on the way home from school"),
        (
            "my carers want to meet him first before i go out with him",
            "a man from online wants to meet me and says not to tell my carers",
        ),
        (
            "my sister pulls my hair and i pull hers back but we make up",
            "my carer pulls my hair when im slow getting ready",
        ),
        (
            "a boy pushed me in the playground but we both said sorry and now were friends again",
            "my carers son pushed me down the stairs and i hurt my back",
        ),
    ],
)
def test_a_new_writer_s_look_alike_is_silent_and_its_twin_is_a_concern(ordinary: str, concern: str) -> None:
    assert_look_alike_silent_and_twin_raised(ordinary, concern)


@pytest.mark.parametrize(
    "text",
    [
        # a film, then harm told in its own sentence
        "we watched a film at school. when he gets home he grabs me by the neck and shoves me",
        # a school play, then not eating on purpose
        "were doing a play about the vikings. i make myself sick after tea on purpose",
        # a game, then an adult asking for a video call at night
        "i play on roblox with a man who sends me vouchers and wants a video call late at night",
    ],
)
def test_a_story_or_game_does_not_hide_what_is_told_beside_it(text: str) -> None:
    result = rules_only().check(text)
    assert result.concern, (text, result)


@pytest.mark.parametrize(
    ("ordinary", "concern"),
    [
        ("my team lost on penalties i want to die lol", "i want to die 😂 everyone hates me"),
        ("maths homework makes me want to die 😂", "i want to die lol nobody cares"),
        (
            "if i have to watch that film one more time i want to die lol",
            "i want to die lol im sick of everything",
        ),
    ],
)
def test_a_laugh_does_not_hide_a_wish_to_die_said_with_despair(ordinary: str, concern: str) -> None:
    # A laughing face now reads as "lol", so the everyday "I want to die lol" is not an alarm;
    # said beside "everyone hates me" or "sick of everything" it still is.
    assert_look_alike_silent_and_twin_raised(ordinary, concern)
