"""A seeded sample of 500 fuzzed inputs through the CLI, checked as `scripts/fuzz.py` checks
them: one record per page file and JSONL line, every whole WARC record and a record for
every damaged part, ids as expected, in order, and no `internal`, `timeout` or
`worker_died` error."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_500_fuzzed_inputs_each_get_their_records(tmp_path: Path) -> None:
    fuzz = _script("fuzz")
    corpus = fuzz.Corpus.find(ROOT.parent / "shared", ROOT / "samples")
    result = fuzz.fuzz(500, seed=16, corpus=corpus, work=tmp_path, chunk=500)
    assert result.problems == []
    assert result.records >= result.inputs
    assert not {key for key in result.outcomes if key.split(":")[-1] in fuzz.FAILURES}
    assert {"ok", "error:decode", "error:too_large", "error:unsupported"} <= result.outcomes.keys()
