"""200 random and broken inputs in one CLI run: 200 records, no crash, exit code 1."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_broken_inputs_each_get_one_record(tmp_path: Path) -> None:
    script = ROOT / "scripts" / "robustness.py"
    proc = subprocess.run(
        [sys.executable, str(script), "--count", "200", "--keep", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "200 inputs -> 200 records" in proc.stdout and "exit code 1" in proc.stdout
    records = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    inputs = sorted(p.name for p in (tmp_path / "inputs").iterdir())
    assert [r["id"] for r in records] == inputs
    errors = [r for r in records if r["status"] == "error"]
    assert errors and all(r["error"]["type"] and r["error"]["message"] for r in errors)
    assert {r["status"] for r in records} == {"ok", "empty", "error"}
