"""`cleaner.hf.clean_batch` in a real `datasets` map, with two processes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

datasets = pytest.importorskip("datasets")

import cleaner.hf  # noqa: E402

README = Path(__file__).parents[2] / "README.md"
PAGE = (
    "<html><head><title>Harbour news</title></head><body><nav>Home | About | Contact</nav>"
    "<article><h1>Harbour reopens</h1>"
    + "".join(
        f"<p>The harbour reopened on Monday after repairs, paragraph {i} of the story.</p>" for i in range(6)
    )
    + "</article><footer>Copyright 2026</footer></body></html>"
)


def test_one_row_per_row_with_error_fields_on_bad_rows() -> None:
    rows = {
        "id": ["good", "empty", "binary", "broken", "none"],
        "url": ["https://example.org/a", None, None, None, None],
        "html": [PAGE, "", "\x00\x01\x02\xff" * 50, "<html><body><div><p>unclosed <b>", None],
    }
    out = datasets.Dataset.from_dict(rows).map(
        cleaner.hf.clean_batch, batched=True, batch_size=2, num_proc=2, remove_columns=["html"]
    )
    assert out["id"] == rows["id"]
    by_id = {row["id"]: row for row in out}
    assert by_id["good"]["status"] == "ok"
    assert "harbour reopened" in by_id["good"]["text"]
    assert by_id["good"]["url"] == "https://example.org/a"
    assert by_id["good"]["error"] is None
    assert by_id["broken"]["status"] in {"ok", "empty", "error"}  # malformed, still one row
    for bad in ("empty", "binary", "none"):
        assert by_id[bad]["status"] in {"empty", "error"}, bad
        if by_id[bad]["status"] == "error":
            assert by_id[bad]["error"]["type"] and by_id[bad]["error"]["stage"]
    assert by_id["none"]["status"] == "error"
    assert set(out.column_names) >= {"status", "text", "removed", "error", "title", "language"}


def test_ids_from_indices_when_there_is_no_id_column() -> None:
    ds = datasets.Dataset.from_dict({"text": ["one line of text here", "another line"]})
    out = ds.map(cleaner.hf.clean_batch, batched=True, with_indices=True)
    assert out["id"] == ["0", "1"]


def test_readme_example_runs() -> None:
    section = README.read_text(encoding="utf-8").split("## In data pipelines", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"```python\n(# Hugging Face datasets.*?)```", section, re.S)
    assert code is not None, "the README's datasets example is missing"
    namespace: dict[str, object] = {}
    exec(compile(code.group(1), "README.md", "exec"), namespace)
    cleaned = namespace["cleaned"]
    assert cleaned.num_rows == 2  # type: ignore[attr-defined]
    assert cleaned["status"][1] == "error"  # type: ignore[index]


def test_import_cleaner_does_not_import_datasets() -> None:
    import subprocess
    import sys

    code = "import sys, cleaner, cleaner.hf; assert 'datasets' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
