"""Each language's stop words, stemmer and weak words, and sensible defaults for any locale.

`language_for("fa_AF")` looks for "fa_AF", then "fa", then builds a default: a locale whose
language is written in Arabic script gets the Arabic-script stemmer, any other gets none. So
a locale added to translations/locales.yaml gets a working matcher before anyone tunes it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

from voice.ask.stemmers import (
    _truncating_stemmer,
    arabic_script_stemmer,
    stem_ar,
    stem_bn,
    stem_en,
)
from voice.ask.text import WORDS_DIR, fold_accents, read_word_list, tokenize


@dataclass(frozen=True)
class Language:
    code: str
    stopwords: frozenset[str] = frozenset()
    stem: Callable[[str], str] = field(default=lambda w: w)
    # Real words the spelling fix leaves alone ("dinner" is not a typo for "danger").
    common_words: frozenset[str] = frozenset()
    # Words too general to answer on alone: "who are you" or "what does lol mean"
    # share only these with the topics, and get an honest "don't know".
    weak_words: frozenset[str] = frozenset()
    # When set, a word is weak only in exactly these spellings (as typed, after spelling fixes
    # and synonyms), not in every form that shares its stem: "right" is weak, "rights" is not;
    # "move" is weak, "moved" ("am i gonna be moved") is not.
    weak_as_typed: frozenset[str] | None = None
    # Fold Arabic-script letter shapes (text.fold_script) before matching. Off for Arabic:
    # its stemmer already handles its spellings, and its questions did no better folded.
    fold: bool = False
    # Share of the score from pieces of words (grams.py), for languages that build long words.
    char_weight: float = 0.0
    # Shortest unknown word the spelling fix tries. English fixes three letters ("cae" -> "care",
    # "rad" -> "read"): on tuning questions with typos added, top-1 83.3% -> 87.1%. Translated
    # languages keep four (three cost Arabic, whose roots are three letters, on lang-tune/).
    min_corrected: int = 4


# Little words that say nothing about the topic. Question words (who, what, when,
# where, why, how) and "not" are kept: "who comes" and "when is" mean different topics.


# Little words that say nothing about the topic. Question words (who, what, when,
# where, why, how) and "not" are kept: "who comes" and "when is" mean different topics.
_EN_STOPWORDS = frozenset(
    tokenize(
        "a an the i me my mine myself we us our you your yours yourself he him his she her it its "
        "they them their theirs is am are was were be been being do does did to of in on at for "
        "with by from and or but if so that these those then than can could would should will "
        "shall may might must just like um erm lol ok okay yeah hi hey please thanks also too "
        "very really actually basically even im ive id ill thats theres because about as into "
        "some any such something anything everything stuff thing things lot lots loads "
    )
)

_EN_WEAK = frozenset(
    {
        "what", "who", "when", "where", "why", "how", "which", "whose", "mean", "meaning", "get",
        "have", "go", "going", "know", "not", "no", "one", "happen", "need", "make", "put", "take",
        "see", "come", "use", "let", "give", "good", "best", "new", "more", "much", "many", "long",
        "now", "again", "ever", "never", "still", "here", "there",
        # Generic words that pulled whole questions to one topic on their own (issue 22):
        # "can i get a tattoo at 18", "can we meet at the park", "how do i move my world".
        "18", "16", "17", "turn", "old", "age", "move", "meet", "information", "info",
        "emergency", "time", "life", "birthday", "day", "week", "year", "people", "person",
        "help", "want", "allowed", "can", "tell", "talk", "ask", "say", "find", "out", "thing",
        "happy", "fair", "bad", "right",
    }
)  # fmt: skip


def _words(text: str, fold: bool = False) -> frozenset[str]:
    """Stop words written with and without accents (and folded, for `fold` languages)."""
    words = set(tokenize(text, fold=fold))
    words |= {fold_accents(w) for w in words}
    return frozenset(words)


LANGUAGES: dict[str, Language] = {
    "en": Language(
        "en",
        _EN_STOPWORDS,
        stem_en,
        read_word_list(WORDS_DIR / "en_common.txt") | read_word_list(WORDS_DIR / "en_words.txt"),
        frozenset(stem_en(w) for w in _EN_WEAK),
        weak_as_typed=_EN_WEAK,
        min_corrected=3,
    ),
    # Pronouns, "is it", "can" and other little words; question words and "not" are kept.
    "bn": Language(
        "bn",
        frozenset(
            tokenize(
                "আমি আমার আমাকে আমরা তুমি তোমার তোমাকে সে তার কি কী এই ওই যে এবং আর ও হয় হবে পারি পারব পারে করতে করব"
            )
        ),
        stem_bn,
    ),
    "ar": Language(
        "ar",
        frozenset(tokenize("أنا أنت هو هي نحن هل في من على إلى عن أن ما هذا هذه لي لك يمكنني أستطيع")),
        stem_ar,
    ),
    # Pronouns, "is", "can", prepositions and yes/no particles; question words and "not" kept.
    "pl": Language(
        "pl",
        _words(
            "ja mnie mi mój moja moje moim moją mojego moich czy się to jest są i w we na do z ze o że "
            "mogę może można muszę będę ktoś coś tak a ale dla po od przy za jestem być by mam"
        ),
        _truncating_stemmer(5),
    ),
    "pt": Language(
        "pt",
        _words(
            "eu me mim meu minha meus minhas o a os as um uma de do da dos das em no na nos nas para por "
            "com e que é ser estar estou posso pode vou vai se ao à isso isto alguém tenho"
        ),
        _truncating_stemmer(5),
    ),
    "ro": Language(
        "ro",
        _words(
            "eu mă mi îmi meu mea mei mele și în la de pe cu o un a al ale să se e este sunt pot poate "
            "am ai are că mai asta acest"
        ),
        _truncating_stemmer(5),
    ),
    "so": Language(
        "so",
        _words(
            "waxaan waan aan ma ayaan ayaa baan i ii igu iga la ku ka u oo iyo waa waxa ahay yahay "
            "tahay karaa kartaa"
        ),
        _truncating_stemmer(5),
    ),
    "ur": Language(
        "ur",
        _words(
            fold=True,
            text="میں مجھے میرا میری میرے کیا ہے ہیں ہوں ہو کے کی کا کو سے اور یہ وہ بھی سکتا سکتی سکتے "
            "گا گی گے ہوگا لیے",
        ),
        fold=True,
    ),
    "ti": Language(
        "ti",
        _words("ድዩ ድየ ድያ ድዮም እዩ እየ ኣለኹ ኣለኒ ይኽእል ኣብ ናብ ካብ ምስ እዚ እቲ ናተይ"),
        _truncating_stemmer(3, fold=False),
    ),
}


# Arabic-script locales arriving from translators (fa as spoken in Afghanistan, Pashto,
# Sorani Kurdish): pronouns, "is", "can", prepositions and the yes/no particle. Question
# words and "not" are kept, as for the others. Defaults, until tuning questions exist.
LANGUAGES["fa"] = Language(
    "fa",
    _words(
        fold=True,
        text="من مرا مرا من ما تو او را به در از با که این آن است هست هستم و یا هم آیا می میتوانم برای",
    ),
    arabic_script_stemmer,
    fold=True,
)
LANGUAGES["ps"] = Language(
    "ps",
    _words(fold=True, text="زه ما زما ته ته ستا هغه دا دې ده دی یم یې په له د او کې ته سره شم کولی کولای"),
    arabic_script_stemmer,
    fold=True,
)
LANGUAGES["ckb"] = Language(
    "ckb",
    _words(fold=True, text="من م ئەمن تۆ ئەو ئەم لە بە بۆ و یان ە یە بکەم دەتوانم دەبێت هەیە"),
    arabic_script_stemmer,
    fold=True,
)
# Languages written in Arabic script, for locales with no entry of their own.
ARABIC_SCRIPT = frozenset({"ar", "ur", "fa", "ps", "ckb", "prs", "sd", "ug", "ku", "ks"})


PIECES_WEIGHT = 0.5

# Question words, "not" and "name": too general to answer on alone, as in English
# ("what is your name" shares only "what" with the topics).
_WEAK = {
    "bn": "কী কি কে কেন কবে কোথায় কীভাবে কোন না নাম",
    "ar": "ما من متى لماذا كيف أين هل لا ماذا اسم",
    "pl": "co kto kiedy gdzie dlaczego jak czy nie imię",
    "pt": "que quem quando onde porque porquê como não nome",
    "ro": "ce cine când unde de cum nu nume",
    "so": "maxay yaa goorma xagee sidee maxaa ma magac",
    "ur": "کیا کون کب کہاں کیوں کیسے نہیں نام",
    "fa": "چه چی چرا کی کجا چطور چگونه کدام نه نام",
    "ps": "څه ولې ولي کله چېرته چیرته څنګه څوک نه نوم",
    "ckb": "چی چ چۆن کەی کوێ بۆچی کێ نا ناو",
    "ti": "እንታይ መን መዓስ ኣበይ ስለምንታይ ከመይ ስም",
}
for _code, _weak in _WEAK.items():
    _lang = LANGUAGES[_code]
    _weak_words = frozenset(_lang.stem(w) for w in _words(_weak, fold=_lang.fold))
    # Every translated language also compares pieces of words (grams.py): five-fold over each
    # language's own example phrasings, half the score from pieces ranked the held-back
    # example first 53.4% of the time against 50.8% for whole words alone (ADR 0026).
    LANGUAGES[_code] = dataclasses.replace(_lang, weak_words=_weak_words, char_weight=PIECES_WEIGHT)


def language_for(code: str) -> Language:
    """The language for a locale code ("fa_AF", "fa-AF", "FA" all find "fa"), with sensible
    defaults for one never seen: the Arabic-script stemmer for those scripts, else none."""
    code = str(code or "")
    base = code.replace("-", "_").split("_")[0].lower()
    found = LANGUAGES.get(code) or LANGUAGES.get(base)
    if found is not None:
        return found if found.code == code else dataclasses.replace(found, code=code)
    if base in ARABIC_SCRIPT:
        return Language(code, stem=arabic_script_stemmer, fold=True, char_weight=PIECES_WEIGHT)
    return Language(code, char_weight=PIECES_WEIGHT)
