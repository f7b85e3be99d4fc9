"""The Ray adapter's engine-neutral parts, without Ray: planning, unit output and markers, the
Ray Data batch function, the command line's usage errors and help."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from functools import partial
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner import Cleaner, Options
from cleaner.batch import clean_all
from cleaner.cli.clean import clean
from cleaner.cli.ray import SHARED_OPTIONS, ray_command
from cleaner.engines.ray import (
    RECORD_COLUMNS,
    CleanBatch,
    Unit,
    clean_batch,
    clean_unit,
    done_result,
    fingerprint,
    plan_units,
)
from cleaner.read import iter_paths
from cleaner.record import Document, ErrorInfo, Status
from cleaner.write import to_json_line
from tests.conftest import SAMPLES

PAGE = "<html><body><article>" + "<p>The river rose again overnight and the bridge closed.</p>" * 5
PAGE += "</article></body></html>"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "pages"
    (root / "sub").mkdir(parents=True)
    for name in ("a.html", "b.html", "c.txt", "sub/d.html", "sub/f.html"):
        (root / name).write_text(PAGE if name.endswith("html") else "Rivers rise.\n\n" * 3)
    (root / "sub" / "e.jsonl").write_text(json.dumps({"id": "e1", "text": "Hello there."}) + "\n")
    return root


def records(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_folder_is_sharded_in_walk_order_with_streams_on_their_own(folder: Path) -> None:
    units = plan_units([folder], shard_size=2)
    assert [[f.name for f in u.files] for u in units] == [
        ["a.html", "b.html"], ["c.txt", "sub/d.html"], ["sub/e.jsonl"], ["sub/f.html"],
    ]  # fmt: skip
    assert plan_units([folder], shard_size=2) == units  # deterministic
    names = [u.output_name for u in units] + [u.marker_name for u in units]
    assert len(set(names)) == len(names) and all("/" not in n and not n.startswith(".") for n in names)


def test_a_file_named_on_the_command_line_is_a_unit_whose_ids_are_the_path_as_given(folder: Path) -> None:
    file = folder / "sub" / "e.jsonl"
    [whole], in_folder = plan_units([file]), plan_units([folder])
    assert whole.files[0].name == file.as_posix()
    assert whole.output_name not in {u.output_name for u in in_folder}  # same file, other ids


def test_an_input_given_twice_is_refused(folder: Path) -> None:
    with pytest.raises(ValueError, match="more than once"):
        plan_units([folder, folder])


def test_a_unit_writes_its_records_then_a_marker_and_counts_them(folder: Path, tmp_path: Path) -> None:
    cleaner = Cleaner()
    out = tmp_path / "out"
    out.mkdir()
    (folder / "x.bin").write_bytes(b"\0\1")
    unit = Unit("pages", tuple(f for u in plan_units([folder]) for f in u.files))
    result = clean_unit(partial(clean_all, cleaner), unit, out, cleaner.options, cleaner.rules_digest)
    expected = [json.loads(to_json_line(d)) for d in clean_all(cleaner, iter_paths([folder], 10**6))]
    assert records(out / unit.output_name) == expected
    assert result.counts == {"ok": 6, "error": 1} and result.errors[0][:2] == ("x.bin", "unsupported")
    assert sorted(p.name for p in out.iterdir()) == sorted([unit.output_name, unit.marker_name])
    stamp = fingerprint(unit, cleaner.options, cleaner.rules_digest)
    done = done_result(unit, out, stamp)
    assert done is not None and done.done_before and done.counts == result.counts


def test_a_marker_is_stale_when_cleaning_options_or_rules_change(folder: Path) -> None:
    unit = plan_units([folder])[0]
    options = Options()
    stamp = fingerprint(unit, options, "rules-1")
    assert fingerprint(unit, replace(options, include_comments=True), "rules-1") != stamp
    assert fingerprint(unit, options, "rules-2") != stamp
    assert fingerprint(unit, replace(options, workers=7, timeout=3.0), "rules-1") == stamp


def test_a_unit_is_not_done_without_its_marker_or_its_output(folder: Path, tmp_path: Path) -> None:
    cleaner = Cleaner()
    unit = plan_units([folder], shard_size=2)[0]
    clean_unit(partial(clean_all, cleaner), unit, tmp_path, cleaner.options, cleaner.rules_digest)
    stamp = fingerprint(unit, cleaner.options, cleaner.rules_digest)
    assert done_result(unit, tmp_path, "another") is None
    (tmp_path / unit.output_name).unlink()
    assert done_result(unit, tmp_path, stamp) is None


def test_clean_batch_gives_one_row_per_row_and_errors_as_rows(cleaner: Cleaner) -> None:
    html = (SAMPLES / "html" / "en_cup_final.html").read_bytes()
    batch = {
        "id": ["a", "b", "c", "d"],
        "url": ["https://example.org/a", None, None, None],
        "html": [html.decode(), None, html, None],
        "text": [None, "Rivers rise.\n\nThe river rose again overnight.", None, None],
    }
    out = clean_batch(partial(clean_all, cleaner), batch)
    assert list(out) == list(RECORD_COLUMNS) and out["id"] == ["a", "b", "c", "d"]
    assert out["status"][:3] == ["ok", "ok", "ok"] and out["status"][3] == "error"
    assert out["error"][:3] == [None] * 3 and out["error"][3]["type"] == "unsupported"
    assert out["url"][0] == "https://example.org/a" and out["text"][0] == out["text"][2]  # bytes too


def test_record_columns_are_the_fields_of_a_record() -> None:
    error = ErrorInfo("decode", "bad", "read")
    assert set(Document("x", "s", Status.ERROR, error=error).to_dict()) == set(RECORD_COLUMNS)


def test_clean_batch_callable_gives_a_fixed_arrow_schema() -> None:
    pytest.importorskip("pyarrow", reason="pyarrow comes with Ray Data")
    batch = {"id": ["a"], "text": ["Rivers rise.\n\nThe river rose again overnight."]}
    fn = CleanBatch(Options(detect_language=False))
    try:
        table = fn(batch)
    finally:
        fn.close()
    assert table.column_names == list(RECORD_COLUMNS)
    assert str(table.schema.field("error").type).startswith("struct<type: string")  # not null
    assert table.to_pylist()[0]["status"] == "ok"


def test_import_cleaner_does_not_import_ray() -> None:
    code = (
        "import sys, cleaner, cleaner.cli, cleaner.cli.ray, cleaner.engines.ray; print('ray' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_help_explains_and_shows_examples() -> None:
    result = CliRunner().invoke(ray_command, ["--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output and "cleaner ray samples/ -o cleaned/" in result.output
    assert "--address auto" in result.output and "--shard-size" in result.output
    assert ".done" in result.output and "exactly one per" in result.output
    clean_options = {p.name: p for p in clean.params}
    assert all(clean_options.get(p.name) is p for p in ray_command.params[-len(SHARED_OPTIONS) :])
    assert [p.name for p in ray_command.params[-len(SHARED_OPTIONS) :]] == list(SHARED_OPTIONS)


@pytest.mark.parametrize(
    "args",
    [
        ["samples"],  # no -o
        ["-", "-o", "out"],
        ["samples", "-o", "out", "--address", "auto", "--num-cpus", "2"],
        ["samples", "samples", "-o", "out"],
        ["samples", "-o", "out", "--shard-size", "0"],
    ],
)
def test_usage_errors_exit_2_before_starting_ray(args: list[str], tmp_path: Path) -> None:
    paths = {"samples": str(SAMPLES), "out": str(tmp_path / "out")}
    result = CliRunner().invoke(ray_command, [paths.get(a, a) for a in args])
    assert result.exit_code == 2, result.output
