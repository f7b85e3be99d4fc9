"""What a run pays before its first page: the parent process of a batch imports no cleaning
pipeline, and the rules are compiled once per process, in the workers' fork server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner.chrome import ChromeRules
from cleaner.errors import RulesError
from cleaner.options import Options
from cleaner.pipeline import Cleaner
from cleaner.rulesets import CHROME_RULES, check_rules

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "html" / "de_wohnungsbau.html"


def test_the_parent_of_a_batch_never_imports_the_pipeline(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    code = (
        "import sys\n"
        "from cleaner.cli import main\n"
        f"try:\n    main(['clean', {str(SAMPLE)!r}, '-o', {str(out)!r}, '-q', '--workers', '1'])\n"
        "except SystemExit:\n    pass\n"
        "heavy = ('trafilatura', 'lxml.html', 'cleaner.pipeline', 'httpx')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert run.stdout.strip() == "[]", run.stderr
    record = json.loads(out.read_text().splitlines()[-1])
    assert record["status"] == "ok" and record["title"]
    assert record["rules_digest"] == Cleaner(Options()).rules_digest


@pytest.mark.parametrize(
    ("args", "starts"),
    [
        (["clean", str(SAMPLE), "-q", "--workers", "1"], True),
        (["clean", "--help"], False),
        (["--help"], False),
    ],
    ids=["clean", "clean-help", "help"],
)
def test_the_fork_server_starts_before_the_command_is_imported(
    tmp_path: Path, args: list[str], starts: bool
) -> None:
    """Its imports overlap the command's own; asking for help starts nothing."""
    code = (
        "import sys\n"
        "import cleaner.workers\n"
        "calls = []\n"
        "cleaner.workers.start_fork_server = lambda: calls.append('cleaner.cli.clean' in sys.modules)\n"
        "from cleaner.cli import main\n"
        f"try:\n    main({[*args, '-o', str(tmp_path / 'out.jsonl')] if starts else args!r})\n"
        "except SystemExit:\n    pass\n"
        "print(calls[:1], file=sys.stderr)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.stderr.strip().splitlines()[-1] == ("[False]" if starts else "[]"), run.stderr


def test_the_digest_from_the_files_is_the_cleaners(tmp_path: Path) -> None:
    assert check_rules(Options()) == Cleaner(Options()).rules_digest
    rules = tmp_path / "rules.toml"
    rules.write_bytes(CHROME_RULES.read_bytes() + b"\n# a comment changes the digest\n")
    site = tmp_path / "sites.toml"
    site.write_text('[sites."news.example"]\nad = [".promo"]\n')
    custom = Options(rules_path=rules, site_rules_path=site)
    assert check_rules(custom) == Cleaner(custom).rules_digest
    assert len({check_rules(Options()), check_rules(Options(rules_path=rules)), check_rules(custom)}) == 3


def test_a_bad_rules_file_fails_before_any_worker(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text("schema = 2\n")
    with pytest.raises(RulesError):
        check_rules(Options(rules_path=rules))
    site = tmp_path / "sites.toml"
    site.write_text('[sites."a.example"]\nad = ["div[["]\n')
    with pytest.raises(RulesError):
        check_rules(Options(site_rules_path=site))


def test_rules_are_compiled_once_per_file_content(tmp_path: Path) -> None:
    assert ChromeRules.load() is ChromeRules.load()
    assert Cleaner(Options()).chrome_rules is Cleaner(Options(detect_language=False)).chrome_rules
    copy = tmp_path / "rules.toml"
    copy.write_bytes(CHROME_RULES.read_bytes())
    assert ChromeRules.load(copy) is ChromeRules.load()  # same bytes, same rules
    copy.write_bytes(CHROME_RULES.read_bytes() + b"\n")
    changed = ChromeRules.load(copy)
    assert changed is not ChromeRules.load() and changed.digest != ChromeRules.load().digest
