"""Regenerate tests/golden/expected/ from the current cleaner. Review the diff before committing.

.venv/bin/python scripts/update_goldens.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from cleaner import Cleaner
from tests.golden.goldens import EXPECTED, clean_sample, expectations, golden_path, golden_text


def main() -> None:
    cleaner = Cleaner()
    EXPECTED.mkdir(parents=True, exist_ok=True)
    for rel in sorted(expectations()):
        doc = clean_sample(cleaner, rel)
        if doc.status == "error":
            continue
        golden_path(rel).write_text(golden_text(doc), encoding="utf-8")
        print(f"{doc.status:6} {rel}")


if __name__ == "__main__":
    main()
