from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner.cli import main

ARTICLE = (
    "<html><head><title>Rivers rise - Example News</title></head><body>"
    "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article><h1>Rivers rise</h1>"
    + "".join(
        f"<p>Paragraph {i}: the river rose again overnight, and the town council met at dawn to "
        "decide whether the old bridge should close before the weekend markets open.</p>"
        for i in range(6)
    )
    + "</article><footer>© 2024 Example News. All rights reserved.</footer></body></html>"
)


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    root = tmp_path / "pages"
    (root / "sub").mkdir(parents=True)
    (root / "a.html").write_text(ARTICLE)
    (root / "sub" / "b.txt").write_text("Rivers rise\n\n" + "The river rose again overnight. " * 10)
    return root


def records(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_help_explains_and_shows_examples() -> None:
    result = CliRunner().invoke(main, ["clean", "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output and "cleaner clean samples/" in result.output
    assert "--out-dir" in result.output and "exactly one record" in result.output
    assert "DIR/index.jsonl.done" in result.output and "3 the output could not be written" in result.output


def test_clean_folder_writes_one_record_per_file_and_exits_0(pages: Path) -> None:
    result = CliRunner().invoke(main, ["clean", "-q", str(pages)])
    assert result.exit_code == 0, result.output
    out = records(result.stdout)
    assert [r["id"] for r in out] == ["a.html", "sub/b.txt"]
    assert out[0]["status"] == "ok" and out[0]["title"] == "Rivers rise"
    assert "town council" in str(out[0]["text"]) and "All rights reserved" not in str(out[0]["text"])


def test_failures_are_recorded_and_exit_1(pages: Path) -> None:
    (pages / "x.bin").write_bytes(b"\0\1\2")
    result = CliRunner().invoke(main, ["clean", str(pages)])
    assert result.exit_code == 1
    out = records(result.stdout)
    assert len(out) == 3
    failed = [r for r in out if r["status"] == "error"]
    assert [r["id"] for r in failed] == ["x.bin"]
    assert "x.bin" in result.stderr and "3 records" in result.stderr


def test_jsonl_on_stdin_gives_one_line_per_object() -> None:
    stdin = "\n".join(
        [
            json.dumps({"id": "h", "url": "https://example.test/a", "html": ARTICLE}),
            json.dumps({"id": "t", "text": "Just one plain line of article text that stays."}),
            json.dumps({"id": "n"}),
        ]
    )
    result = CliRunner().invoke(main, ["clean", "-q", "-"], input=stdin)
    assert result.exit_code == 1
    out = records(result.stdout)
    assert [(r["id"], r["status"]) for r in out] == [("h", "ok"), ("t", "ok"), ("n", "error")]
    assert out[0]["url"] == "https://example.test/a"


def test_out_dir_with_markdown(pages: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "md"
    result = CliRunner().invoke(
        main, ["clean", "-q", str(pages), "--format", "markdown", "--out-dir", str(out_dir)]
    )
    assert result.exit_code == 0, result.output
    index = records((out_dir / "index.jsonl").read_text())
    assert len(index) == 2
    first = (out_dir / str(index[0]["file"])).read_text()
    assert first.startswith("# Rivers rise\n")


def test_usage_errors_exit_2(pages: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["clean"]).exit_code == 2
    assert runner.invoke(main, ["clean", str(pages), "--format", "text"]).exit_code == 2
    assert runner.invoke(main, ["clean", str(pages), "--out-dir", str(tmp_path / "o")]).exit_code == 2
    both = [
        "clean",
        str(pages),
        "--format",
        "text",
        "--out-dir",
        str(tmp_path / "o"),
        "-o",
        str(tmp_path / "x"),
    ]
    assert runner.invoke(main, both).exit_code == 2 and not (tmp_path / "o").exists()
    bad = tmp_path / "bad.toml"
    bad.write_text("[clean]\nno_such_option = 1\n")
    assert runner.invoke(main, ["clean", str(pages), "--config", str(bad)]).exit_code == 2


def test_config_file_is_overridden_by_flags(pages: Path, tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("[clean]\ndetect_language = false\n")
    runner = CliRunner()
    off = records(runner.invoke(main, ["clean", "-q", str(pages / "a.html"), "--config", str(config)]).stdout)
    on = records(
        runner.invoke(
            main, ["clean", "-q", str(pages / "a.html"), "--config", str(config), "--language"]
        ).stdout
    )
    assert off[0]["language"] is None and on[0]["language"] == "en"


def test_output_file_and_installed_entry_point(pages: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    script = Path(sys.executable).with_name("cleaner")
    proc = subprocess.run([str(script), "clean", str(pages), "-o", str(out)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "" and "2 records" in proc.stderr
    assert len(records(out.read_text())) == 2


def test_help_documents_workers_deadline_and_resume() -> None:
    result = CliRunner().invoke(main, ["clean", "--help"])
    for option in ("--workers", "--timeout", "--max-worker-memory", "--fresh", "--no-resume"):
        assert option in result.output
    assert ".warc.gz" in result.output and "rerun to resume" in result.output


def test_max_worker_memory_takes_sizes() -> None:
    from cleaner.cli.clean import parse_size

    assert parse_size("2G") == 2 * 1024**3 and parse_size("500M") == 500 * 1024**2
    assert parse_size("123") == 123 and parse_size("none") == 0
    with pytest.raises(Exception, match="not a size"):
        parse_size("lots")


def test_output_to_a_file_is_resumable_and_stdout_is_not(pages: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    runner = CliRunner()
    assert runner.invoke(main, ["clean", "-q", str(pages), "-o", str(out)]).exit_code == 0
    assert out.with_name("out.jsonl.done").exists()
    assert runner.invoke(main, ["clean", "-q", str(pages)]).exit_code == 0
    assert not (tmp_path / ".done").exists() and len(list(tmp_path.iterdir())) == 3  # pages, out, .done
