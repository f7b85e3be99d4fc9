"""A datatrove step: `Cleaner`, a drop-in replacement for datatrove's `Trafilatura` extractor.

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import WarcReader
    from datatrove.pipeline.writers import JsonlWriter
    from cleaner.integrations.datatrove import Cleaner

    LocalPipelineExecutor(pipeline=[WarcReader("warcs/"), Cleaner(timeout=5), JsonlWriter("out/")]).run()

Like datatrove's `Trafilatura`, it cleans `doc.text` (the page's HTML) in a sandbox process
with a per-document `timeout`, replaces it with the article text and keeps only documents with
text: datatrove's semantics for `text` are unchanged. How it differs:

- the record fields go into `doc.metadata`: `title`, `author`, `date`, `sitename`,
  `description`, `language`, `status` (`ok` / `empty` / `error`), `removed_count`,
  `removed_reasons` (count per reason) and, on errors, `error` (`{type, message, stage,
  retryable}`); the `url` the reader found is kept and given to the cleaner;
- the stats count our statuses (`status_ok`, `status_empty`, `status_error`) and each error
  type (`error_<type>`) besides datatrove's `extracted`, `timeout`, `forwarded`, `dropped`;
  a page that fails is counted, never raised, and dropped as datatrove drops it;
- `options` (a `cleaner.Options`) replaces trafilatura's keyword arguments.

Needs the `datatrove` extra: `pip install 'cleaner[datatrove]'`.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

try:
    from datatrove.pipeline.extractors.base import BaseExtractor, ExtractorSandbox
    from datatrove.utils.typeshelper import StatHints
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "cleaner.integrations.datatrove needs datatrove: pip install 'cleaner[datatrove]'"
    ) from exc

from cleaner.batch import clean_source
from cleaner.oneshot import default_cleaner
from cleaner.options import Options
from cleaner.read import InputKind, Source
from cleaner.record import Document, Status

__all__ = ["Cleaner"]

METADATA_FIELDS = ("title", "author", "date", "sitename", "description", "language")


class Cleaner(BaseExtractor):  # type: ignore[misc]
    """Clean each document's HTML with the cleaner; see the module docstring."""

    name = "🧹 cleaner"

    def __init__(self, options: Options | None = None, timeout: float = 1) -> None:
        super().__init__(timeout)
        self.options = options or Options()

    def extract(self, text: str) -> str:
        """The article text alone, as `BaseExtractor` asks; `run` uses `clean_record`."""
        return str(self.clean_record(text)["text"])

    def clean_record(self, html: str, url: str | None = None) -> dict[str, Any]:
        """One page's record as a dict; never raises (errors are error records)."""
        source = Source("datatrove", "datatrove", InputKind.HTML, html, url)
        doc = clean_source(default_cleaner(self.options), source)
        return _record(doc)

    def run(self, data: Any, rank: int = 0, world_size: int = 1) -> Any:
        with ExtractorSandbox(timeout=self.timeout, warmup_text=("", None)) as sandbox:
            for doc in data:
                self.stat_update(StatHints.total)
                with self.track_time():
                    record = self._sandboxed(sandbox, doc)
                if record is None:
                    continue
                self._count(record)
                doc.text = record.pop("text")
                doc.metadata.update(record)
                if doc.text:
                    self.stat_update(StatHints.forwarded)
                    self.update_doc_stats(doc)
                    yield doc
                else:
                    self.stat_update(StatHints.dropped)

    def _sandboxed(self, sandbox: Any, doc: Any) -> dict[str, Any] | None:
        try:
            record: dict[str, Any] = sandbox.process_document(
                (doc.text, doc.metadata.get("url")), self.clean_record
            )
        except TimeoutError:
            self.stat_update("timeout", "status_error", "error_timeout")
            return None
        except EOFError:  # the sandbox process died (out of memory, a crash)
            self.stat_update("broken_process", "status_error", "error_worker-died")
            return None
        self.stat_update("extracted")
        return record

    def _count(self, record: dict[str, Any]) -> None:
        self.stat_update(f"status_{record['status']}")
        if record.get("error"):
            self.stat_update(f"error_{record['error']['type']}")


def _record(doc: Document) -> dict[str, Any]:
    record: dict[str, Any] = {name: getattr(doc, name) for name in METADATA_FIELDS}
    record["text"] = doc.text
    record["status"] = str(doc.status)
    record["removed_count"] = len(doc.removed)
    record["removed_reasons"] = dict(Counter(str(r.reason) for r in doc.removed))
    if doc.status is Status.ERROR and doc.error is not None:
        e = doc.error
        record["error"] = {"type": e.type, "message": e.message, "stage": e.stage, "retryable": e.retryable}
    return record
