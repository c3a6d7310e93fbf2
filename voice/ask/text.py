"""Text handling shared by every language: normalising, folding and splitting into words.

Folding happens before anything else, so the topics, the stop words and a child's question
all meet in one spelling:
- Arabic script (ar, ur, fa, ps, ckb): letters children type in several shapes are folded
  to one (alef with hamza or madda and plain alef; alef maqsura and yeh; the yeh, kaf and heh
  of Persian and Urdu keyboards and those of an Arabic one), and short-vowel marks and the
  tatweel are dropped. Letters that are distinct in some language (teh marbuta, yeh and waw
  with hamza, Pashto's yehs, Kurdish ae) are left alone;
  Arabic-Indic and Persian digits become Latin ones. A question typed on an Arabic keyboard
  then matches Urdu or Dari examples typed on another, and "أخي" matches "اخي".
- Ethiopic (ti): the word separator ፡ and the full stop ። split words.
Accent folding for Latin scripts lives with the stemmers (pl, pt, ro fold, English does not).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

# Questions longer than this are letters, not questions: the start is enough to
# find the topic, and it keeps the worst case (a 1 MB paste) fast.
MAX_CHARS = 1_000
MAX_TOKENS = 120

WORDS_DIR = Path(__file__).resolve().parent / "words"
CALIBRATION_FILE = WORDS_DIR / "calibration.json"

_APOSTROPHES = re.compile(r"['’‘`´]")
# Zero-width joiners and non-joiners, direction marks and the soft hyphen change how a word
# is drawn, not what it says. A Persian keyboard writes "می‌توانم" with a non-joiner where a
# child on another keyboard types "میتوانم"; Bengali writes some conjuncts with a joiner. They
# are taken out so both spellings are one word (before this, the non-joiner split the word).
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff]")
# \w alone splits Bengali, Hindi-script and Arabic words at their vowel signs (marks, not
# letters), so "ভাইকে" became "ভ", "ইক": the marks of those scripts count as word letters.
# The danda (। ॥) is Bengali's full stop, so it stays a separator.
_WORD = re.compile(
    r"(?:\w|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0900-\u0963\u0966-\u0dff])+"
)


# One shape for letters Arabic-script keyboards write several ways. Harakat (short vowels,
# shadda, sukun), the superscript alef and the tatweel carry no meaning a child relies on.
_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا", "ى": "ي",
        # Persian/Urdu keyboards' yeh, kaf and heh against the Arabic keyboard's.
        "ی": "ي", "ك": "ک", "ڪ": "ک", "ہ": "ه", "ھ": "ه",
        "ـ": None,
        **{chr(c): None for c in range(0x064B, 0x0653)},
        "\u0670": None,
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
        # Ethiopic word space and full stop separate words.
        "፡": " ", "።": " ", "፣": " ", "፤": " ",
        # Arabic comma, semicolon and question mark.
        "،": " ", "؛": " ", "؟": " ",
    }
)  # fmt: skip


def fold_script(text: str) -> str:
    """`text` with Arabic-script letter variants folded and short vowels dropped."""
    return text.translate(_ARABIC_FOLD)


def fold_accents(word: str) -> str:
    """ "szkołę" → "szkołe", "não" → "nao": children often skip accents."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def tokenize(text: str, fold: bool = False) -> list[str]:
    """Words of `text`, lower-cased, apostrophes dropped, Arabic-script letters folded when
    `fold` (the language's own choice: see `Language.fold`). Never raises on a str."""
    text = text[:MAX_CHARS]
    # Lone surrogates (from broken clients) cannot be normalised; drop them.
    text = text.encode("utf-8", "ignore").decode("utf-8")
    text = unicodedata.normalize("NFKC", text).casefold()
    if fold:
        text = fold_script(text)
    text = _APOSTROPHES.sub("", _INVISIBLE.sub("", text))
    return _WORD.findall(text)[:MAX_TOKENS]


def read_word_list(path: Path) -> frozenset[str]:
    """Words from a plain list: several a line, `#` starts a comment."""
    words: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        words.update(tokenize(line.split("#", 1)[0]))
    return frozenset(words)


def script_of(word: str) -> str:
    """The Unicode script of a word's first letter ("LATIN", "BENGALI", "ARABIC"...)."""
    for ch in word:
        if ch.isalpha():
            return unicodedata.name(ch, "UNKNOWN").split(" ")[0]
    return "NONE"


def scripts_of(vocabulary: Iterable[str], floor: float = 0.05) -> frozenset[str]:
    """The scripts making up at least `floor` of a vocabulary (Latin for a Bengali matcher
    whose examples include romanised Bengali; never a script seen in one stray word)."""
    counts = Counter(script_of(w) for w in vocabulary)
    total = max(sum(counts.values()), 1)
    return frozenset(s for s, n in counts.items() if n / total >= floor) | {"NONE"}
