"""Where pages are read: files, folders (recursively, sorted), JSONL streams, web archives.

    source.py   Source (one input, read but not cleaned), InputKind, ReadStats
    files.py    page files, folders, and the input files a run is made of
    jsonl.py    JSONL streams of `{id, url?, html | text}` objects
    warc.py     HTML response records in .warc / .warc.gz / .warc.zst archives

Reading never raises for a bad input: a file we cannot read or do not handle becomes a
`Source` carrying the problem, so the batch still yields one record for it.
"""

from __future__ import annotations

from cleaner.read.files import (
    InputFile,
    input_files,
    iter_file,
    iter_paths,
    kind_of,
    read_bytes,
    read_file,
    walk,
)
from cleaner.read.jsonl import is_jsonl, iter_jsonl, iter_jsonl_file, object_source, parse_json_line
from cleaner.read.source import InputKind, ReadStats, Source
from cleaner.read.warc import is_warc, iter_warc_file

__all__ = [
    "InputFile",
    "InputKind",
    "ReadStats",
    "Source",
    "input_files",
    "is_jsonl",
    "is_warc",
    "iter_file",
    "iter_jsonl",
    "iter_jsonl_file",
    "iter_paths",
    "iter_warc_file",
    "kind_of",
    "object_source",
    "parse_json_line",
    "read_bytes",
    "read_file",
    "walk",
]
