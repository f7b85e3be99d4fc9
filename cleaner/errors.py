"""The cleaner's exceptions. Everything the library raises is a `CleanerError`.

    CleanerError
    ├── InputError             the input cannot be read as a page
    │   ├── UnsupportedInput   a file type or JSONL object we do not handle
    │   ├── DecodeError        bytes that are binary or undecodable as text
    │   └── InputTooLarge      over the configured size limit
    ├── ExtractionError        the HTML parser or extractor failed on the page
    ├── RulesError             the chrome rules file is missing or malformed
    ├── OutputError            the output cannot be written (a full disk: `no_space`)
    └── FetchError             a URL could not be fetched (each carries `retryable`)
        ├── InvalidURL         not an absolute http(s) URL
        ├── FetchTimeout       an operation timed out, or the URL's deadline passed
        ├── DNSError           the host name did not resolve
        ├── TLSError           the TLS handshake or certificate check failed (never downgraded)
        ├── ConnectionFailed   refused, reset or broken connection, malformed response
        ├── HTTPStatusError    a 4xx/5xx answer (`http_4xx` / `http_5xx`)
        ├── RobotsDisallowed   robots.txt forbids the URL (or could not be fetched: 5xx)
        ├── ResponseTooLarge   Content-Length or the decoded body is over the size limit
        ├── NotHTML            a content type that is neither HTML nor plain text
        ├── NotAListing        a sitemap or feed URL that answered something else
        ├── AddressRefused     `public_only`: the host is (or resolves to) a private address
        └── TooManyRedirects   a redirect chain longer than the limit, or a loop

Foreign exceptions (lxml, trafilatura, gzip, json, httpx) are translated where they enter, with
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


class OutputError(CleanerError):
    """Writing the output failed; what was written before it is whole (see `cleaner.write`).
    `no_space`: the disk (or the quota) is full, so the same command may succeed later."""

    type_name = "output"
    stage = "write"

    def __init__(self, message: str, *, no_space: bool = False) -> None:
        super().__init__(message)
        self.no_space = no_space


# -- fetching (cleaner.fetch) -------------------------------------------------------------


class FetchError(CleanerError):
    """A URL could not be fetched. `retryable` says whether trying again later may work."""

    type_name = "fetch"
    stage = "fetch"
    retryable = False

    def __init__(self, message: str, *, retryable: bool | None = None, status: int | None = None) -> None:
        super().__init__(message)
        if retryable is not None:
            self.retryable = retryable
        self.status = status


class InvalidURL(FetchError):
    type_name = "invalid_url"


class FetchTimeout(FetchError):
    type_name = "timeout"
    retryable = True


class DNSError(FetchError):
    type_name = "dns"
    retryable = True


class TLSError(FetchError):
    type_name = "tls"


class ConnectionFailed(FetchError):
    type_name = "connect"
    retryable = True


class HTTPStatusError(FetchError):
    """`http_4xx` or `http_5xx`; 408, 429 and 5xx are retryable, other 4xx are not."""

    def __init__(self, status: int, reason: str = "", *, retry_after: float | None = None) -> None:
        retryable = status in (408, 429) or status >= 500
        super().__init__(f"HTTP {status} {reason}".strip(), retryable=retryable, status=status)
        self.type_name = "http_5xx" if status >= 500 else "http_4xx"
        self.retry_after = retry_after


class RobotsDisallowed(FetchError):
    type_name = "robots_disallowed"


class ResponseTooLarge(FetchError):
    type_name = "too_large"


class NotHTML(FetchError):
    type_name = "not_html"


class TooManyRedirects(FetchError):
    type_name = "too_many_redirects"


class NotAListing(FetchError):
    type_name = "not_a_listing"


class AddressRefused(FetchError):
    type_name = "address_refused"
