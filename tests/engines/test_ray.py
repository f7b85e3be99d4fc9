"""The Ray adapter on a real local Ray (2 CPUs, one per session; skipped without Ray): the same
records as a local run, re-runs that skip what is done and redo what is not, Ray Data, the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner

from cleaner import Cleaner, Options
from cleaner.batch import clean_all
from cleaner.cli.ray import ray_command
from cleaner.engines.ray import CleanBatch, Unit, plan_units, run_units
from cleaner.read import iter_jsonl_file, iter_paths
from cleaner.write import to_json_line
from tests.conftest import SAMPLES

OPTIONS = Options()
SHARD_SIZE = 4

Run = tuple[list[Unit], Path]


def local_records(inputs: list[Path]) -> list[dict[str, Any]]:
    sources = iter_paths(inputs, OPTIONS.max_bytes)
    return [json.loads(to_json_line(doc)) for doc in clean_all(Cleaner(OPTIONS), sources)]


def unit_records(units: list[Unit], outdir: Path) -> list[dict[str, Any]]:
    lines = [line for u in units for line in (outdir / u.output_name).read_text("utf-8").splitlines()]
    return [json.loads(line) for line in lines]


def mtimes(outdir: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in outdir.iterdir()}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    missing = tmp_path_factory.mktemp("gone") / "missing.html"
    return [SAMPLES, SAMPLES / "html" / "en_cup_final.html", missing]


@pytest.fixture(scope="module")
def first_run(ray_cluster: ModuleType, inputs: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Run:
    units, outdir = plan_units(inputs, SHARD_SIZE), tmp_path_factory.mktemp("first") / "out"
    results = run_units(units, outdir, Cleaner(OPTIONS))
    assert not any(r.done_before or r.failure for r in results)
    return units, outdir


@pytest.fixture
def rerun(first_run: Run, tmp_path: Path) -> Run:
    """A copy of the first run's output folder, to run again."""
    units, outdir = first_run
    shutil.copytree(outdir, tmp_path / "out")
    return units, tmp_path / "out"


def test_ray_gives_the_records_of_a_local_run(first_run: Run, inputs: list[Path]) -> None:
    units, outdir = first_run
    assert len(units) > 5  # samples/ is sharded, and stream.jsonl is a unit of its own
    assert unit_records(units, outdir) == local_records(inputs)
    assert sorted(p.suffix for p in outdir.iterdir()) == sorted([".jsonl", ".done"] * len(units))


def test_a_rerun_skips_what_is_done_and_redoes_a_unit_whose_marker_is_gone(rerun: Run) -> None:
    units, outdir = rerun
    before = mtimes(outdir)
    results = run_units(units, outdir, Cleaner(OPTIONS))
    assert all(r.done_before for r in results) and mtimes(outdir) == before

    redo = units[2]
    (outdir / redo.marker_name).unlink()
    results = run_units(units, outdir, Cleaner(OPTIONS))
    assert [r.label for r in results if not r.done_before] == [redo.label]
    after = mtimes(outdir)
    assert (outdir / redo.marker_name).is_file() and after[redo.output_name] > before[redo.output_name]
    untouched = set(before) - {redo.output_name, redo.marker_name}
    assert {name: after[name] for name in untouched} == {name: before[name] for name in untouched}


def test_a_partial_output_without_marker_is_redone_without_duplicates(rerun: Run, first_run: Run) -> None:
    units, outdir = rerun
    unit = next(u for u in units if len(u.files) == SHARD_SIZE)
    output = outdir / unit.output_name
    complete = output.read_text("utf-8")
    output.write_text(complete.splitlines(keepends=True)[0] + complete[:40], encoding="utf-8")  # torn
    (outdir / unit.marker_name).unlink()
    (outdir / f".{unit.output_name}.part").write_text("left by a worker that was killed\n")
    results = run_units(units, outdir, Cleaner(OPTIONS))
    assert [r.label for r in results if not r.done_before] == [unit.label]
    assert output.read_text("utf-8") == complete
    assert unit_records(units, outdir) == unit_records(*first_run)
    assert not list(outdir.glob(".*"))


def test_a_unit_that_cannot_be_written_fails_alone_and_is_retried_by_the_next_run(rerun: Run) -> None:
    units, outdir = rerun
    unit = units[1]
    (outdir / unit.marker_name).unlink()
    (outdir / f".{unit.output_name}.part").mkdir()  # the worker cannot write its output
    [failed] = [r for r in run_units(units, outdir, Cleaner(OPTIONS)) if not r.done_before]
    assert failed.label == unit.label and "IsADirectoryError" in str(failed.failure)
    assert not (outdir / unit.marker_name).exists()
    (outdir / f".{unit.output_name}.part").rmdir()
    [redone] = [r for r in run_units(units, outdir, Cleaner(OPTIONS)) if not r.done_before]
    assert redone.failure is None and (outdir / unit.marker_name).is_file()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # Ray Data's own, on its first use
def test_clean_batch_on_ray_data_gives_the_records_of_a_local_run(ray_cluster: ModuleType) -> None:
    pytest.importorskip("pandas", reason="Ray Data needs pandas and pyarrow")
    import ray.data

    ray.data.DataContext.get_current().enable_progress_bars = False
    stream = SAMPLES / "jsonl" / "stream.jsonl"
    lines = stream.read_text("utf-8").splitlines()
    rows = [{**json.loads(line), "source": f"stream:{n}"} for n, line in enumerate(lines, start=1)]
    dataset = ray.data.from_items(rows).map_batches(
        CleanBatch, fn_constructor_kwargs={"options": OPTIONS}, batch_size=2,
        compute=ray.data.ActorPoolStrategy(size=1),
    )  # fmt: skip
    got = sorted(dataset.take_all(), key=lambda r: r["id"])
    expected = [
        json.loads(to_json_line(d)) for d in clean_all(Cleaner(OPTIONS), iter_jsonl_file(stream, "stream"))
    ]
    assert [r["status"] for r in got] == ["ok", "ok", "error", "ok"]  # the error row is kept
    # a struct column gives every metadata field back, null where the record names no source
    got = [{**r, "meta_sources": {k: v for k, v in r["meta_sources"].items() if v is not None}} for r in got]
    assert [{k: v for k, v in r.items() if not (k == "error" and v is None)} for r in got] == expected


def test_cli_exit_1_when_records_are_errors_even_if_an_earlier_run_did_them(
    rerun: Run, inputs: list[Path]
) -> None:
    units, outdir = rerun
    result = CliRunner().invoke(
        ray_command, [*map(str, inputs), "-o", str(outdir), "--shard-size", str(SHARD_SIZE)]
    )
    assert result.exit_code == 1, result.output
    assert f"{len(units)} already done" in result.stderr and " error)" in result.stderr


def test_cli_exit_0_when_every_record_is_ok_or_empty(ray_cluster: ModuleType, tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for name in ("en_reef_bom.html", "es_sequia.html"):
        shutil.copy(SAMPLES / "html" / name, pages / name)
    result = CliRunner().invoke(ray_command, [str(pages), "-o", str(tmp_path / "out"), "--shard-size", "1"])
    assert result.exit_code == 0, result.output
    assert "2 tasks (2 run, 0 already done, 0 failed), 2 records (2 ok" in result.stderr
    assert len(list((tmp_path / "out").glob("*.jsonl"))) == 2
