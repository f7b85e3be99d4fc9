"""cleaner explain: blocks in page order in the terminal, plain when piped."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from cleaner.cli import main
from tests.report.conftest import HOSTILE, STORY


def test_explain_lists_kept_and_removed_blocks_in_order(tmp_path: Path) -> None:
    page = tmp_path / "hostile.html"
    page.write_text(HOSTILE, encoding="utf-8")
    result = CliRunner().invoke(main, ["explain", str(page)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    kept = [n for n, line in enumerate(lines) if STORY[:40] in line]
    ad = next(n for n, line in enumerate(lines) if "Advertisement" in line)
    assert len(kept) == 2 and kept[0] < ad < kept[1]
    assert lines[ad].startswith("- [ad · ")  # reason and rule
    assert "\x1b[" not in result.output  # not a terminal: no colour codes
    assert "<script>alert(3)</script>" in result.output  # page text printed as it is, not as markup


def test_explain_removed_only_and_errors(tmp_path: Path) -> None:
    page = tmp_path / "hostile.html"
    page.write_text(HOSTILE, encoding="utf-8")
    result = CliRunner().invoke(main, ["explain", str(page), "--removed-only"])
    assert result.exit_code == 0 and STORY not in result.output and "All rights reserved" in result.output
    binary = tmp_path / "image.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    result = CliRunner().invoke(main, ["explain", str(binary)])
    assert result.exit_code == 1 and "error decode" in result.output


def test_explain_help_shows_examples() -> None:
    result = CliRunner().invoke(main, ["explain", "--help"])
    assert result.exit_code == 0 and "cleaner explain samples/html/en_cup_final.html" in result.output
