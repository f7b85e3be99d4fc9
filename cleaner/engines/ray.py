"""Ray: clean files on a Ray cluster, resumably, and clean rows with Ray Data.

This module only translates: reading is `cleaner.read`, cleaning `cleaner.batch.clean_source`.
Ray is imported when it is used (`import_ray`), never by `import cleaner`.

Files (`cleaner ray`). The inputs are planned into *units*, one Ray task each:

    a file named on the command line      one unit (a page, a JSONL file, a web archive)
    a JSONL file or archive in a folder   one unit
    the page files of a folder            shards of up to N files in walk order, cut at streams

so the units' records, in plan order, are the records `cleaner clean` gives for the same
inputs. A unit writes `OUTDIR/<name>.jsonl` through a hidden `.part` file renamed when
complete, then `OUTDIR/<name>.done`, a JSON marker (temp file + rename) with the unit's
counts and a fingerprint of its files, options and rules. A re-run skips a unit whose output
and matching marker are there and redoes any other from scratch, so a unit cut short never
leaves a partial output or a duplicated line. Units run on a pool of actors, one per CPU;
each cleans in one worker process of its own (`cleaner.workers`), which builds the `Cleaner`
once and gives every page the deadline and memory ceiling it has in `cleaner clean`.

Ray Data. `CleanBatch` is a callable class for `Dataset.map_batches`: columns `id`, `url`?,
`source`?, `html` | `text` in, the record fields out with a fixed Arrow schema, one row per
row (errors are error rows). It needs pyarrow only when called, as Ray Data itself does.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, fields, replace
from itertools import chain
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from cleaner.errors import UnsupportedInput
from cleaner.options import RUN_SETTINGS, Options
from cleaner.pipeline import Cleaner
from cleaner.read import (
    InputFile,
    ReadStats,
    Source,
    input_files,
    is_jsonl,
    is_warc,
    iter_file,
    object_source,
)
from cleaner.record import META_FIELDS, Document
from cleaner.rulesets import check_rules
from cleaner.workers import WorkerPool
from cleaner.write import safe_name, to_json_line

if TYPE_CHECKING:
    import pyarrow

DEFAULT_SHARD_SIZE = 100
RECORD_COLUMNS = (
    "id", "source", "status", "url", "title", "author", "date", "sitename", "description",
    "language", "text", "removed", "error", "meta_sources", "rules_digest", "signals",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Unit:
    """What one task cleans: files whose records go, in order, to one output file."""

    label: str
    files: tuple[InputFile, ...]

    @property
    def output_name(self) -> str:
        return safe_name(self.label, ".jsonl")

    @property
    def marker_name(self) -> str:
        return safe_name(self.label, ".done")


@dataclass(frozen=True, slots=True)
class UnitResult:
    """What became of one unit; plain data, sent back by a worker or read from a marker."""

    label: str
    counts: Mapping[str, int]  # records by status
    errors: tuple[tuple[str, str, str], ...] = ()  # (id, type, message) of each error record
    skipped_records: int = 0  # archive records that are not pages (see `ReadStats`)
    done_before: bool = False  # an earlier run did it: skipped now
    failure: str | None = None  # the unit could not be run: no output, no marker


def is_stream(path: Path) -> bool:
    return is_jsonl(path) or is_warc(path)


def plan_units(inputs: Sequence[Path], shard_size: int = DEFAULT_SHARD_SIZE) -> list[Unit]:
    """The units for `inputs`, in order; an input given twice raises `ValueError`."""
    units: list[Unit] = []
    for path in inputs:
        if path.is_dir():
            units.extend(_folder_units(path, shard_size))
        else:
            units.append(Unit(path.as_posix(), tuple(input_files([path]))))
    twice = sorted(label for label, n in Counter(u.label for u in units).items() if n > 1)
    if twice:
        raise ValueError(f"input given more than once: {', '.join(twice)}")
    return units


def _folder_units(folder: Path, shard_size: int) -> list[Unit]:
    # "//" never occurs in a path as Path.as_posix() spells it, so these labels cannot be
    # the label of a file named on the command line.
    base, shards = folder.as_posix(), 0
    units: list[Unit] = []
    pages: list[InputFile] = []
    for file in [*input_files([folder]), None]:
        stream = file is not None and is_stream(file.path)
        if pages and (file is None or stream or len(pages) == shard_size):
            units.append(Unit(f"{base}//shard-{shards:05d}", tuple(pages)))
            pages, shards = [], shards + 1
        if file is not None and stream:
            units.append(Unit(f"{base}//{file.name}", (file,)))
        elif file is not None:
            pages.append(file)
    return units


#: Cleans sources into records, one each, in order: `WorkerPool.imap`, or `clean_all` bound
#: to a `Cleaner`.
Clean = Callable[[Iterable[Source]], Iterator[Document]]


def fingerprint(unit: Unit, options: Options, rules_digest: str) -> str:
    """Changes with the unit's files, the cleaning options or the rules: a marker with
    another fingerprint is stale."""
    state = {
        "label": unit.label,
        "files": [[str(f.path), f.name] for f in unit.files],
        "options": {
            f.name: str(getattr(options, f.name)) for f in fields(options) if f.name not in RUN_SETTINGS
        },
        "rules": rules_digest,
    }
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()[:16]


def clean_unit(clean: Clean, unit: Unit, outdir: Path, options: Options, rules_digest: str) -> UnitResult:
    """Clean every source of `unit` into its output file, then mark it done."""
    (outdir / unit.marker_name).unlink(missing_ok=True)
    part = outdir / f".{unit.output_name}.part"
    counts: Counter[str] = Counter()
    errors: list[tuple[str, str, str]] = []
    stats = ReadStats()
    sources = (s for file in unit.files for s in iter_file(file, options.max_bytes, stats))
    try:
        with part.open("w", encoding="utf-8") as out:
            for doc in clean(sources):
                out.write(to_json_line(doc))
                counts[str(doc.status)] += 1
                if doc.error is not None:
                    errors.append((doc.id, doc.error.type, doc.error.message))
            out.flush()
            os.fsync(out.fileno())
        os.replace(part, outdir / unit.output_name)
    finally:
        with suppress(OSError):  # never hide why the unit failed
            part.unlink(missing_ok=True)
    result = UnitResult(unit.label, dict(counts), tuple(errors), stats.skipped_total)
    marker = {
        "unit": unit.label,
        "output": unit.output_name,
        "fingerprint": fingerprint(unit, options, rules_digest),
        "counts": result.counts,
        "skipped_records": result.skipped_records,
    }
    write_atomically(outdir / unit.marker_name, json.dumps(marker, ensure_ascii=False) + "\n")
    return result


def write_atomically(path: Path, text: str) -> None:
    temp = path.with_name(f".{path.name}.part")
    with temp.open("w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temp, path)


def done_result(unit: Unit, outdir: Path, expected: str) -> UnitResult | None:
    """The result an earlier run recorded for `unit`, if its output and a marker with the
    `expected` fingerprint are there."""
    if not (outdir / unit.output_name).is_file():
        return None
    try:
        marker = json.loads((outdir / unit.marker_name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(marker, dict) or marker.get("fingerprint") != expected:
        return None
    counts = {str(k): int(v) for k, v in marker.get("counts", {}).items()}
    return UnitResult(
        unit.label, counts, skipped_records=int(marker.get("skipped_records", 0)), done_before=True
    )


class UnitWorker:
    """Cleans units into their output files, one at a time; a Ray actor, one per CPU.

    Its pages are cleaned by a `WorkerPool` of one process, started once (which builds the
    `Cleaner` once), so a page gets the deadline and memory ceiling it gets in `cleaner clean`.
    """

    def __init__(self, options: Options, outdir: str, rules_digest: str) -> None:
        self._options, self._outdir, self._digest = options, Path(outdir), rules_digest
        self._pool = WorkerPool(replace(options, workers=1), digest=rules_digest).__enter__()

    def run(self, unit: Unit) -> UnitResult:
        return clean_unit(self._pool.imap, unit, self._outdir, self._options, self._digest)

    def close(self) -> None:
        self._pool.close()


def import_ray() -> ModuleType:
    """Ray, with its usage statistics off: Ray sends them unless told not to."""
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    try:
        import ray
    except ImportError as exc:
        raise ImportError("the Ray engine needs Ray: pip install 'cleaner[ray]'") from exc
    return ray


@contextmanager
def ray_session(address: str | None = None, num_cpus: int | None = None) -> Iterator[ModuleType]:
    """Join the cluster at `address` ("auto", "HOST:PORT", "ray://HOST:10001") or start a local
    Ray with `num_cpus`, and shut down at the end; if Ray is already initialised, use it as is."""
    ray = import_ray()
    if ray.is_initialized():
        yield ray
        return
    kwargs: dict[str, Any] = {"address": address, "logging_level": logging.WARNING}
    if address is None:
        kwargs["num_cpus"] = num_cpus
    elif num_cpus is not None:
        raise ValueError("num_cpus sizes a local Ray; a cluster at an address has its own")
    if not (address or "").startswith("ray://"):  # a Ray Client would pass it on to the server
        kwargs["include_dashboard"] = False
    ray.init(**kwargs)
    try:
        yield ray
    finally:
        ray.shutdown()


def split_done(units: Sequence[Unit], outdir: Path, cleaner: Cleaner) -> tuple[list[UnitResult], list[Unit]]:
    """The results earlier runs recorded for the units that are done, and the units to run."""
    done: list[UnitResult] = []
    todo: list[Unit] = []
    for unit in units:
        result = done_result(unit, outdir, fingerprint(unit, cleaner.options, cleaner.rules_digest))
        if result is None:
            todo.append(unit)
        else:
            done.append(result)
    return done, todo


def run_units(
    units: Sequence[Unit],
    outdir: Path,
    cleaner: Cleaner,
    on_result: Callable[[UnitResult], None] | None = None,
) -> list[UnitResult]:
    """Run the units that are not done yet on the Ray that is initialised, with workers built
    from `cleaner.options`; one result per unit, done ones first, then in completion order."""
    outdir = outdir.resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    done, todo = split_done(units, outdir, cleaner)
    results: list[UnitResult] = []
    for result in chain(done, _run_on_actors(todo, outdir, cleaner)):
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results


def _run_on_actors(units: Sequence[Unit], outdir: Path, cleaner: Cleaner) -> Iterator[UnitResult]:
    if not units:
        return
    ray = import_ray()
    worker = ray.remote(num_cpus=1, max_restarts=1, max_task_retries=1)(UnitWorker)
    args = (cleaner.options, str(outdir), cleaner.rules_digest)
    size = max(1, min(len(units), int(ray.cluster_resources().get("CPU", 1))))
    idle = [worker.remote(*args) for _ in range(size)]
    queue = deque(units)
    running: dict[Any, tuple[Unit, Any]] = {}
    try:
        while queue or running:
            while idle and queue:
                actor, unit = idle.pop(), queue.popleft()
                running[actor.run.remote(unit)] = (unit, actor)
            [ref], _ = ray.wait(list(running), num_returns=1)
            unit, actor = running.pop(ref)
            try:
                result = ray.get(ref)
            except ray.exceptions.RayActorError as exc:  # the worker died, even after a restart
                result, actor = _failed(unit, exc), worker.remote(*args)
            except ray.exceptions.RayError as exc:  # e.g. OUTDIR not writable
                result = _failed(unit, exc)
            idle.append(actor)
            yield result
    finally:
        _stop(ray, idle, [actor for _, actor in running.values()])


def _stop(ray: ModuleType, idle: list[Any], busy: list[Any]) -> None:
    """Let idle actors stop their worker processes, then end all of them."""
    with suppress(ray.exceptions.RayError):
        ray.get([actor.close.remote() for actor in idle], timeout=10)
    for actor in idle + busy:
        ray.kill(actor)


def _failed(unit: Unit, exc: BaseException) -> UnitResult:
    cause = getattr(exc, "cause", None) or exc
    return UnitResult(unit.label, {}, failure=f"{type(cause).__name__}: {cause}")


def row_source(row: Mapping[str, Any]) -> Source:
    """One Ray Data row as a `Source`, like a JSONL object; `source` (origin) is optional."""
    origin = str(row["source"]) if isinstance(row.get("source"), str) else "ray-data"
    if row.get("id") is None:
        url = str(row["url"]) if isinstance(row.get("url"), str) else None
        return Source("-", origin, url=url, problem=UnsupportedInput("row has no 'id'"))
    return object_source(row, str(row["id"]), origin)


def clean_batch(clean: Clean, batch: Any) -> dict[str, list[Any]]:
    """Clean a batch (a dict of columns, a pandas DataFrame or an Arrow table) into the
    record fields as columns (`RECORD_COLUMNS`, `error` None unless an error), row for row."""
    columns = _as_columns(batch)
    if "id" not in columns:
        raise ValueError(f"a batch needs an 'id' column; it has {sorted(columns)}")
    rows = ({k: v[i] for k, v in columns.items()} for i in range(len(columns["id"])))
    out: dict[str, list[Any]] = {name: [] for name in RECORD_COLUMNS}
    for doc in clean(row_source(row) for row in rows):
        record = json.loads(to_json_line(doc))
        for name in RECORD_COLUMNS:
            out[name].append(record.get(name))
    return out


def _as_columns(batch: Any) -> dict[str, list[Any]]:
    if hasattr(batch, "to_pydict"):  # pyarrow.Table
        return dict(batch.to_pydict())
    if hasattr(batch, "to_dict"):  # pandas.DataFrame
        return dict(batch.to_dict("list"))
    return {str(k): list(v) for k, v in batch.items()}  # dict of lists or numpy arrays


class CleanBatch:
    """For `Dataset.map_batches`; each actor starts one cleaning process, as `UnitWorker` does:

    ds.map_batches(CleanBatch, fn_constructor_kwargs={"options": Options()},
                   compute=ray.data.ActorPoolStrategy(size=4))
    """

    def __init__(self, options: Options | None = None) -> None:
        options = replace(options or Options(), workers=1)
        self._pool = WorkerPool(options, digest=check_rules(options)).__enter__()

    def __call__(self, batch: Any) -> pyarrow.Table:
        import pyarrow as pa

        return pa.Table.from_pydict(clean_batch(self._pool.imap, batch), schema=record_schema())

    def close(self) -> None:
        self._pool.close()


def record_schema() -> pyarrow.Schema:
    """The Arrow schema of `CleanBatch`'s output, the same for every batch (inferred types
    would differ: a batch without errors would make `error` a null column)."""
    import pyarrow as pa

    text = pa.string()
    removed = pa.list_(pa.struct([("text", text), ("reason", text), ("rule", text)]))
    error = pa.struct([("type", text), ("message", text), ("stage", text), ("retryable", pa.bool_())])
    number = pa.float64()
    signals = pa.struct(
        [("words", pa.int64()), ("removed_share", number), ("chrome_score", number),
         ("repeated_lines", number), ("language_probability", number), ("link_density", number)]
    )  # fmt: skip
    # A struct with one field per metadata field, not a map: Hugging Face `datasets` has no
    # type for Arrow maps, and a fixed struct reads the same in Ray, pandas and datasets.
    sources = pa.struct([(name, text) for name in META_FIELDS])
    special = {"removed": removed, "error": error, "meta_sources": sources, "signals": signals}
    return pa.schema([(name, special.get(name, text)) for name in RECORD_COLUMNS])
