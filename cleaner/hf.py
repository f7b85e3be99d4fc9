"""Hugging Face `datasets`: clean the rows of a dataset with `Dataset.map`.

    from datasets import Dataset
    import cleaner.hf

    ds = Dataset.from_dict({"id": ["a"], "url": ["https://example.org/a"], "html": [html]})
    cleaned = ds.map(cleaner.hf.clean_batch, batched=True, num_proc=2)

Input columns: `html` (str or bytes) or `text`, and optionally `url` and `id` (without `id`,
pass `with_indices=True` and the row's index is its id). Output columns: the record fields,
as in the JSONL record and in Ray Data's `CleanBatch` (`removed` a list of structs, `error` a
struct, null unless the row is an error), one output row per input row. A row that cannot be
cleaned is an error row, never an exception that stops the map. Each process keeps one
`Cleaner` per options (`cleaner.oneshot.default_cleaner`), so `num_proc=N` builds N.

Other options: `functools.partial(clean_batch, options=Options(...))` or `make_clean_batch`.
Needs the `hf` extra (`pip install 'cleaner[hf]'`) only for `datasets` itself: this module
imports nothing of it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from cleaner.batch import clean_source
from cleaner.engines.ray import clean_batch as clean_columns
from cleaner.engines.ray import record_schema
from cleaner.oneshot import default_cleaner
from cleaner.options import Options
from cleaner.read import Source

if TYPE_CHECKING:
    import pyarrow

__all__ = ["clean_batch", "make_clean_batch"]


def clean_batch(
    batch: dict[str, list[Any]], indices: Sequence[int] | None = None, *, options: Options | None = None
) -> pyarrow.Table:
    """Clean a batch of rows (a dict of columns, as `Dataset.map(batched=True)` passes it) into
    an Arrow table of the record fields with one fixed schema, row for row."""
    import pyarrow as pa

    columns = dict(batch)
    if "id" not in columns:
        columns["id"] = _ids(columns, indices)
    cleaner = default_cleaner(options)

    def clean(sources: Iterable[Source]) -> Iterator[Any]:
        return (clean_source(cleaner, source) for source in sources)

    return pa.Table.from_pydict(clean_columns(clean, columns), schema=record_schema())


def make_clean_batch(options: Options) -> Callable[..., pyarrow.Table]:
    """`clean_batch` with these options, for `Dataset.map`."""
    return partial(clean_batch, options=options)


def _ids(columns: dict[str, list[Any]], indices: Sequence[int] | None) -> list[str]:
    """Row indices when `map` passes them, else a digest of the row's page: an id that does
    not depend on how the rows are split into batches."""
    if indices is not None:
        return [str(i) for i in indices]
    pages = columns.get("html", columns.get("text", []))
    return [_digest(page) for page in pages]


def _digest(page: Any) -> str:
    data = page if isinstance(page, bytes) else str(page).encode("utf-8", "surrogatepass")
    return hashlib.sha1(data).hexdigest()[:16]
