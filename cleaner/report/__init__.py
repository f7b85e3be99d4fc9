"""The HTML report of a run: an index of every input and one page per input, showing its
blocks in page order with the removed ones in place, each with its reason and rule.

Static and self-contained: it opens from disk, loads nothing from the network and runs no
text from the pages (see `cleaner.report.assets`).
"""

from cleaner.report.index import PAGE_SIZE, IndexBuilder
from cleaner.report.run import ReportEncoder, ReportWriter, page_name, report_from_records
from cleaner.report.view import Item, PageView, view_of_document, view_of_record

__all__ = [
    "PAGE_SIZE",
    "IndexBuilder",
    "Item",
    "PageView",
    "ReportEncoder",
    "ReportWriter",
    "page_name",
    "report_from_records",
    "view_of_document",
    "view_of_record",
]
