from __future__ import annotations

import gzip
import json
import random
import re
import sys
import unicodedata
from pathlib import Path

import pytest
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException
from langdetect.utils.ngram import NGram

import cleaner.language
from cleaner.language import _MIN_LETTERS, _SAMPLE_CHARS, _SEED, _TRIALS, LanguageDetector
from tests.conftest import SAMPLES, SHARED

ZYTE = SHARED / "benchmarks" / "zyte"


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The council met on Tuesday to decide whether the old bridge should close for repairs.", "en"),
        ("Der Stadtrat hat am Dienstag beschlossen, die alte Brücke für Reparaturen zu schließen.", "de"),
        ("Le conseil municipal a décidé mardi de fermer le vieux pont pour des travaux urgents.", "fr"),
        ("El ayuntamiento decidió el martes cerrar el puente viejo para hacer reparaciones.", "es"),
        ("北京市政府周二决定关闭这座老桥进行维修，预计工程将持续三个月。", "zh"),
    ],
)
def test_detects_iso_639_1_codes(detector: LanguageDetector, text: str, code: str) -> None:
    assert detector.detect(text) == code


def test_too_little_text_is_unknown(detector: LanguageDetector) -> None:
    assert detector.detect("12 34 !!") is None


def test_answers_repeat_across_detectors() -> None:
    text = "Ambiguous short line ok"
    assert {LanguageDetector().detect(text) for _ in range(3)} == {LanguageDetector().detect(text)}


# --- Same n-grams, probabilities and answers as langdetect's own Detector ----------------------


@pytest.fixture(scope="module")
def factory() -> DetectorFactory:
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(_SEED)
    return factory


def _langdetect(factory: DetectorFactory, text: str) -> tuple[list[str], list[float] | None, str | None]:
    """langdetect's n-grams, probabilities and (with our settings and ISO codes) answer."""
    detector = factory.create()
    detector.set_max_text_length(_SAMPLE_CHARS)
    detector.n_trial = _TRIALS
    detector.append(text)
    try:
        code: str | None = detector.detect()
    except LangDetectException:  # no n-grams
        code = None
    ngrams: list[str] = detector._extract_ngrams()  # of the text detect() cleaned
    if code == "unknown" or sum(ch.isalpha() for ch in text[:_SAMPLE_CHARS]) < _MIN_LETTERS:
        code = None
    return ngrams, detector.langprob, code and code.split("-")[0]


def _differences(detector: LanguageDetector, factory: DetectorFactory, texts: dict[str, str]) -> list[str]:
    differences = []
    for name, text in texts.items():
        ngrams, prob, code = _langdetect(factory, text)
        if detector.ngrams(text) != ngrams:
            differences.append(f"{name}: n-grams")
        elif ngrams and detector.probabilities(ngrams) != prob:
            differences.append(f"{name}: probabilities")
        if detector.detect(text) != code:
            differences.append(f"{name}: {detector.detect(text)} instead of {code}")
    return differences


def _read(path: Path) -> str:
    data = path.read_bytes()
    return (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8", "replace")


def _with_tails(texts: dict[str, str]) -> dict[str, str]:
    """Each text, and its second half: another start, another 1000-character cut."""
    return texts | {f"{name}[half:]": text[len(text) // 2 :] for name, text in texts.items()}


_VIETNAMESE = (
    "Tiếng Việt là ngôn ngữ chính thức của Việt Nam, được hơn chín mươi triệu người sử dụng hằng ngày."
)
EDGE_CASES = {
    "empty": "",
    "space": " ",
    "one letter": "a",
    "spaces around": "   the harbour wall will be repaired in June, the council said   ",
    "ends on a letter": "the harbour wall will be repaired in June and take ten weeks",
    "capitals": "THE NASA AND ESA PROGRAMMES ARE BIG NEWS FOR EVERYONE IN THE EU TODAY, SAYS THE BBC",
    "mixed capitals": "iPhone USB-C HTTPServer McDonald's ÉTÉ ÀÉÎ OK. Der ICE-Zug fährt nach MÜNCHEN HBF.",
    "digits": "In 2023, 45% of 1,000 people (n=1000) said 3.14 is pi; 12:30 on 01/02/2024 — ok?",
    "url and email": "Visit https://example.com/path?x=1&y=2#top or write to john.doe@example.org today, "
    "please; http://a.b/c and mail@x.y are both fine, www.example.com too.",
    "url across the cut": "the words go on " * 62 + "https://example.com/" + "a" * 3000 + " and then some",
    "email across the cut": "words and words " * 62
    + "someone.with.a.long.name@"
    + "b" * 300
    + ".org and so on",
    "urls shrink the head": ("see https://example.org/" + "a" * 60 + " for it ") * 40 + "the end of it all",
    "no whitespace after the cut": "字" * 900 + "的一是在不了有和人这中大为上个国" * 100,
    "chinese": "北京市政府周二决定关闭这座老桥进行维修，预计工程将持续三个月。" * 3,
    "traditional chinese": "臺北市政府週二決定關閉這座老橋進行維修，預計工程將持續三個月。" * 3,
    "japanese": "東京都は火曜日、古い橋を修理のために閉鎖することを決めました。カタカナのテストです。",
    "korean": "서울시는 화요일에 오래된 다리를 수리하기 위해 폐쇄하기로 결정했다고 밝혔습니다.",
    "bopomofo": "ㄅㄆㄇㄈ ㄉㄊㄋㄌ ㆠㆡㆢ 注音符號 ㄓㄔㄕㄖ",
    "vietnamese": _VIETNAMESE,
    "vietnamese, marks apart": unicodedata.normalize("NFD", _VIETNAMESE),
    "vietnamese, tone marks apart": "Tie\u0302\u0301ng Vie\u0323\u0302t la\u0300 ngo\u0302n ngu\u031b\u0303 "
    "chi\u0301nh thu\u031b\u0301c cu\u0309a Vie\u0323\u0302t Nam, ê\u0301 ơ\u0300 ư\u0303 y\u0309 Ă\u0323",
    "arabic": "قرر مجلس المدينة يوم الثلاثاء إغلاق الجسر القديم لإجراء إصلاحات عاجلة.",
    "farsi": "شورای شهر روز سه‌شنبه تصمیم گرفت پل قدیمی را برای تعمیرات فوری ببندد. یی",
    "romanian": "Consiliul local a decis marți să închidă podul vechi pentru reparații urgente. ȘȚșț",
    "russian with english": "Городской совет решил во вторник закрыть старый мост "
    "(the old bridge) на ремонт.",
    "greek capitals": "Η ΑΘΗΝΑ ΕΙΝΑΙ Η ΠΡΩΤΕΥΟΥΣΑ ΤΗΣ ΕΛΛΑΔΑΣ και η μεγαλύτερη πόλη της χώρας.",
    "mostly latin in cjk": "The new iPhone 15 Pro Max was announced today 新款手机今天发布",
    "latin under cjk": "新款手机今天在北京发布，价格为七千九百九十九元人民币 iPhone Pro",
    "brackets count as latin": "___[[[```^^^ 北京市政府周二决定关闭这座老桥进行维修 \\\\]]]",
    "punctuation blocks": "«Bonjour» — dit-il… “quoted” ‘single’ °C \u00a0non-breaking\u2009thin 100 % sûr",
    "other whitespace": "ideographic\u3000space and line\u2028separator and next\x85line "
    "and\ttab and\nnewline here",
    "odd letters": "İstanbul ǅemal ẞtraße ﬁnance Ωmega ℌilbert ⅯⅯⅩⅩⅣ Ⓐbc ａｂｃ ＡＢＣ",
    "emoji and surrogates": "great news 😀🎉 for everyone \ud800 today, the bridge reopens 👍🏽 on Monday",
    "latin extended additional": "ẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆ ḀḁḂḃ ạảấầẩẫậắằẳẵặ ỳỵỷỹ",
    "hindi": "नगर परिषद ने मंगलवार को मरम्मत के लिए पुराने पुल को बंद करने का निर्णय लिया।",
    "thai": "สภาเมืองตัดสินใจเมื่อวันอังคารที่จะปิดสะพานเก่าเพื่อซ่อมแซม",
    "hebrew": "מועצת העיר החליטה ביום שלישי לסגור את הגשר הישן לתיקונים דחופים.",
}


def test_edge_cases_match_langdetect(detector: LanguageDetector, factory: DetectorFactory) -> None:
    assert _differences(detector, factory, _with_tails(EDGE_CASES)) == []


def test_samples_match_langdetect(detector: LanguageDetector, factory: DetectorFactory) -> None:
    texts = {
        str(path.relative_to(SAMPLES)): _read(path) for path in sorted(SAMPLES.rglob("*")) if path.is_file()
    }
    assert len(texts) > 20
    assert _differences(detector, factory, _with_tails(texts)) == []


@pytest.mark.skipif(not ZYTE.is_dir(), reason="needs ../shared/benchmarks")
def test_zyte_articles_match_langdetect(detector: LanguageDetector, factory: DetectorFactory) -> None:
    truth = json.loads((ZYTE / "ground-truth.json").read_text(encoding="utf-8"))
    texts = {name: page["articleBody"] for name, page in truth.items()}
    assert len(texts) == 181
    assert _differences(detector, factory, _with_tails(texts)) == []


@pytest.mark.skipif(not ZYTE.is_dir(), reason="needs ../shared/benchmarks")
def test_zyte_whole_pages_match_langdetect(detector: LanguageDetector, factory: DetectorFactory) -> None:
    texts = {
        path.name: path.read_text(encoding="utf-8")
        for path in sorted((ZYTE.parent / "zyte-text").glob("*.txt"))
    }
    assert len(texts) == 181
    assert _differences(detector, factory, texts) == []


_PIECES = [
    "abcdefghijklmnopqrstuvwxyz",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "      ",
    ".,;:!?-'\"()0123456789",
    "«»°\xa0—“”…\t\n",
    "äöüßéèçñøåœÄÖÜÉÈ",
    "șțŞŢȘȚ",
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗ",
    "αβγδεζηθΑΒΓΔ",
    "你好世界中文测试漢字國語的一是",
    "ひらがなカタカナ",
    "ㄅㄆㄇㆠ",
    "한국어가나다",
    "العربيةی",
    "ạảấầẩẫậắằẳẵặẹẻẽếềểễệẠẢ",
    "êơưăâÊƠƯĂÂaeiouy",
    "\u0300\u0301\u0303\u0309\u0323\u0302",
    "[\\]^_`",
    "@/:.#?&=",
    "😀🎉\u3000\u2028\x85",
]


def test_random_texts_match_langdetect(detector: LanguageDetector, factory: DetectorFactory) -> None:
    rng = random.Random(1234)
    texts = {}
    for number in range(300):
        pieces = [rng.choice(_PIECES) for _ in range(rng.randrange(1, 8))]
        length = rng.choice([5, 30, 200, 1100, 2500])
        text = "".join(rng.choice(rng.choice(pieces)) for _ in range(length))
        texts[f"random {number}"] = rng.choice(["", "http://x.y/", "a@b.c "]).join(text.split("/", 2))
    assert _differences(detector, factory, texts) == []


def test_a_full_word_cache_is_cleared(factory: DetectorFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cleaner.language, "_WORDS_CACHED", 10)
    assert _differences(LanguageDetector(), factory, EDGE_CASES) == []


def test_normalization_is_ngram_normalize() -> None:
    every_character = "".join(map(chr, range(sys.maxunicode + 1)))
    normalized = "".join(map(NGram.normalize, every_character))
    assert every_character.translate(cleaner.language.normalize_table()) == normalized
    assert cleaner.language._normalizer()(every_character) == re.sub(" +", " ", normalized)
