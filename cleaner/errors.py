"""The cleaner's exceptions. Everything the library raises is a `CleanerError`.

    CleanerError
    ├── InputError             the input cannot be read as a page
    │   ├── UnsupportedInput   a file type or JSONL object we do not handle
    │   ├── DecodeError        bytes that are binary or undecodable as text
    │   └── InputTooLarge      over the configured size limit
    ├── ExtractionError        the HTML parser or extractor failed on the page
    └── RulesError             the chrome rules file is missing or malformed

Foreign exceptions (lxml, trafilatura, gzip, json) are translated where they enter, with
`raise ... from exc`. The library raises; the batch runner turns each error into an `error`
record whose `error.type` is the exception's `type_name`.
"""

from __future__ import annotations


class CleanerError(Exception):
    type_name = "error"
    stage = "clean"


class InputError(CleanerError):
    type_name = "input"
    stage = "read"


class UnsupportedInput(InputError):
    type_name = "unsupported"


class DecodeError(InputError):
    type_name = "decode"
    stage = "decode"


class InputTooLarge(InputError):
    type_name = "too_large"


class ExtractionError(CleanerError):
    type_name = "extraction"
    stage = "extract"


class RulesError(CleanerError):
    type_name = "rules"
    stage = "rules"
