"""Language identification with langdetect, seeded so the same text always gets the same answer.

langdetect's module-level `detect()` shares one unseeded global factory; we load our own
profiles instead, once per `LanguageDetector`, and seed every call explicitly.

langdetect's `Detector` spends most of its time in per-character Python code (`append`,
`cleaning_text`, `NGram.add_char`, `NGram.normalize`), so we redo its steps with C-level string
operations where we can, and give exactly the same answers (tests/test_language.py checks the
n-grams, the probabilities and the answers against `Detector` itself):

- the URL, e-mail and Vietnamese rewrites run only when the text has a character their pattern
  needs, and only up to the first whitespace after `_SAMPLE_CHARS` characters: none of them
  matches across whitespace, so that is the start of the rewritten whole text;
- `NGram.normalize` becomes a regular-expression substitution for the characters it turns into
  spaces and a `str.translate` for the few others, both built by asking `NGram.normalize`;
- `NGram` starts afresh after every space, so we take the n-grams word by word (with its rule
  that skips the second and later letters of a run of capitals) and cache them per word;
- the random trials draw the same `random.choice`s from the same seed and do the same float
  operations in the same order, five updates per pass over the languages (langdetect checks
  for convergence after the first update and then after every fifth).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache

from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.utils import unicode_block as blocks
from langdetect.utils.ngram import NGram

# Enough text for a stable answer; more only costs time (langdetect is linear in it). On the
# zyte articles, 1000 characters and 3 trials agree with 1500 and langdetect's 7 trials on
# 180 of 181 pages at half the cost.
_SAMPLE_CHARS = 1000
_TRIALS = 3
_MIN_LETTERS = 20
_SEED = 0
_WORDS_CACHED = 20_000  # per detector; n-gram lists of the words seen, cleared when full

# The Unicode blocks in which NGram.normalize may change a character; it keeps all others.
_NORMALIZED_BLOCKS = frozenset(
    {
        blocks.UNICODE_BASIC_LATIN,
        blocks.UNICODE_LATIN_1_SUPPLEMENT,
        blocks.UNICODE_LATIN_EXTENDED_B,
        blocks.UNICODE_GENERAL_PUNCTUATION,
        blocks.UNICODE_ARABIC,
        blocks.UNICODE_LATIN_EXTENDED_ADDITIONAL,
        blocks.UNICODE_HIRAGANA,
        blocks.UNICODE_KATAKANA,
        blocks.UNICODE_BOPOMOFO,
        blocks.UNICODE_BOPOMOFO_EXTENDED,
        blocks.UNICODE_CJK_UNIFIED_IDEOGRAPHS,
        blocks.UNICODE_HANGUL_SYLLABLES,
    }
)
_WHITESPACE = re.compile(r"\s")
_VI_MARKS = re.compile(f"[{NGram.DMARK_CLASS}]")
# langdetect's Latin letters: 'A' <= ch <= 'z', so [\]^_` too
_LATIN_RUNS = re.compile("[A-z]+")
_NOT_LATIN_ASCII = bytes(range(ord("A"))) + bytes(range(ord("z") + 1, 128))
_NON_LATIN_RUNS = re.compile("[\u0300-\U0010ffff]+")


@cache
def normalize_table() -> dict[int, str]:
    """`NGram.normalize` as a `str.translate` table."""
    table: dict[int, str] = {}
    for block, first, last in blocks._unicode_blocks:
        if block in _NORMALIZED_BLOCKS:
            for code in range(first, last + 1):
                normal: str = NGram.normalize(chr(code))
                if normal != chr(code):
                    table[code] = normal
    return table


def _char_class(codes: Iterable[int]) -> str:
    """A regular-expression character class of these code points, as ranges."""
    ranges: list[list[int]] = []
    for code in sorted(codes):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges) + "]"


class _Normalizer:
    """`NGram.normalize` for a whole text, with runs of spaces made one (NGram treats them as one)."""

    def __init__(self) -> None:
        table = normalize_table()
        self._others = {code: ch for code, ch in table.items() if ch != " "}
        spaces = table.keys() - self._others.keys() | {ord(" ")}
        self._spaces = re.compile(_char_class(spaces) + "+")
        self._any_other = re.compile(_char_class(self._others))

    def __call__(self, text: str) -> str:
        text = self._spaces.sub(" ", text)
        return text.translate(self._others) if self._any_other.search(text) else text


@cache
def _normalizer() -> _Normalizer:
    return _Normalizer()


def _has_letters(text: str) -> bool:
    """At least _MIN_LETTERS letters among the first _SAMPLE_CHARS characters."""
    letters = 0
    for ch in text[:_SAMPLE_CHARS]:
        if ch.isalpha():
            letters += 1
            if letters >= _MIN_LETTERS:
                return True
    return False


def _rewrite(text: str) -> str:
    """`Detector.append`'s rewrites: URLs and e-mail addresses to spaces, Vietnamese letters with a
    combining mark to one letter. Each is skipped when the text lacks a character it needs."""
    if "://" in text:
        text = Detector.URL_RE.sub(" ", text)
    if "@" in text:
        text = Detector.MAIL_RE.sub(" ", text)
    if _VI_MARKS.search(text):
        text = NGram.normalize_vi(text)
    return text


def _sample(text: str) -> str:
    """The first _SAMPLE_CHARS characters of the rewritten text, as `Detector.append` keeps them
    (but for making runs of spaces one, which we leave to `_Normalizer`)."""
    # Rewriting up to a whitespace character gives the start of the rewritten whole text. The
    # rewrites only shrink text, so check that enough of it is left.
    cut = _WHITESPACE.search(text, _SAMPLE_CHARS)
    head = _rewrite(text[: cut.start()]) if cut else ""
    if len(head) < _SAMPLE_CHARS:
        head = _rewrite(text)
    return head[:_SAMPLE_CHARS]


def _drop_latin_if_minor(text: str) -> str:
    """`Detector.cleaning_text`: drop Latin letters from text that is mostly in other scripts."""
    if text.isascii():
        return text
    non_latin = len(text) - len(_NON_LATIN_RUNS.sub("", text))  # langdetect counts from U+0300
    latin = len(text.encode("ascii", "ignore").translate(None, _NOT_LATIN_ASCII))
    return _LATIN_RUNS.sub("", text) if latin * 2 < non_latin else text


def word_ngrams(word: str, known: Mapping[str, str]) -> list[str]:
    """The known n-grams `NGram` yields, in its order, for `word`: normalised, after a space, and
    followed by one if the text goes on. For each character, the 1-, 2- and 3-gram ending there.
    `known` maps each n-gram of the profiles to itself, so that cached lists share the strings."""
    grams: list[str] = []
    before, last = "", " "  # NGram starts each word after a space
    for ch in word:
        if not (ch.isupper() and last.isupper()):  # else NGram.capitalword: nothing
            if gram := known.get(ch):
                grams.append(gram)
            if gram := known.get(last + ch):
                grams.append(gram)
            if before and (gram := known.get(before + last + ch)):
                grams.append(gram)
        before, last = last, ch
    return grams


@cache
def profiles() -> tuple[list[str], dict[str, list[float]], dict[str, str]]:
    """langdetect's languages, n-gram probabilities and known n-grams, loaded once per process
    (about 0.3 s) and never changed: every detector reads the same."""
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    grams: dict[str, list[float]] = factory.word_lang_prob_map
    return (
        list(factory.langlist),
        grams,
        {gram: gram for gram in grams if gram != " "},
    )  # NGram never yields " "


class LanguageDetector:
    def __init__(self, seed: int = _SEED) -> None:
        self._langs, self._profiles, self._known = profiles()
        self._normalize = _normalizer()
        self._seed = seed
        self._words: dict[str, list[str]] = {}

    def detect(self, text: str) -> str | None:
        """ISO 639-1 code of `text` (langdetect's zh-cn/zh-tw become zh), or None if unsure."""
        return self.detect_with_probability(text)[0]

    def detect_with_probability(self, text: str) -> tuple[str | None, float | None]:
        """`detect`'s answer and langdetect's probability for the best language (None and
        None when the text has no letters to go by)."""
        if not _has_letters(text):
            return None, None
        ngrams = self.ngrams(text)
        if not ngrams:
            return None, None
        prob = self.probabilities(ngrams)
        best = max(range(len(prob)), key=prob.__getitem__)  # the first of equals, as langdetect
        code = self._langs[best].split("-")[0] if prob[best] > Detector.PROB_THRESHOLD else None
        return code, prob[best]

    def ngrams(self, text: str) -> list[str]:
        """The n-grams langdetect's Detector samples from for `text`, in its order."""
        *words, last = self._normalize(_drop_latin_if_minor(_sample(text))).split(" ")
        grams: list[str] = []
        for word in words:
            if word:
                grams += self._word_ngrams(word + " ")
        if last:
            grams += self._word_ngrams(last)
        return grams

    def _word_ngrams(self, word: str) -> list[str]:
        grams = self._words.get(word)
        if grams is None:
            if len(self._words) >= _WORDS_CACHED:
                self._words.clear()
            grams = self._words[word] = word_ngrams(word, self._known)
        return grams

    def probabilities(self, ngrams: Sequence[str]) -> list[float]:
        """`Detector.langprob` after `_detect_block` on `ngrams`: the mean of _TRIALS random walks."""
        rng = random.Random(self._seed)  # one per call: threads may share the detector
        total = [0.0] * len(self._langs)
        for _ in range(_TRIALS):
            alpha = Detector.ALPHA_DEFAULT + rng.gauss(0.0, 1.0) * Detector.ALPHA_WIDTH
            prob = self._trial(ngrams, alpha / Detector.BASE_FREQ, rng.choice)
            total = [t + p / _TRIALS for t, p in zip(total, prob, strict=True)]
        return total

    def _trial(
        self, ngrams: Sequence[str], weight: float, choice: Callable[[Sequence[str]], str]
    ) -> list[float]:
        """One of `Detector._detect_block`'s trials, with the same draws and float operations.

        Normalising is fused into the next five updates: `p / total * (weight + q) * ...`; and
        `max(prob) / total` is the largest of the `p / total` as division by `total` keeps order.
        """
        profiles = self._profiles
        converged, limit = Detector.CONV_THRESHOLD, Detector.ITERATION_LIMIT
        uniform = 1.0 / len(self._langs)
        prob = [uniform * (weight + q) for q in profiles[choice(ngrams)]]
        last = 0  # index of the last update; langdetect checks after updates 0, 5, 10, ...
        while True:
            total = sum(prob)
            if max(prob) / total > converged or last >= limit:
                return [p / total for p in prob]
            a, b, c, d, e = [profiles[choice(ngrams)] for _ in range(5)]
            prob = [
                p / total * (weight + qa) * (weight + qb) * (weight + qc) * (weight + qd) * (weight + qe)
                for p, qa, qb, qc, qd, qe in zip(prob, a, b, c, d, e, strict=False)  # all of len(langs)
            ]
            last += 5
