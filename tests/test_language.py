from __future__ import annotations

import pytest

from cleaner.language import LanguageDetector


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
