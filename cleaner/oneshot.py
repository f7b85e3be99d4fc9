"""The one-shot functions' default cleaners: one per options, per thread, kept.

`clean_html(html)` in a loop is how most people first call a cleaner library, and building a
`Cleaner` (compiling the rules, loading the language profiles) costs far more than cleaning
a page. So the one-shot functions keep the `Cleaner` they built for given `Options` and use
it again from the second call on. This is the library's one deliberate process-wide cache:
it holds nothing but what `Cleaner(options)` builds, so a record never depends on it.

Each thread has its own cleaners (a `Cleaner` is not meant to be shared by threads that
clean at the same time). A forked child starts with a copy of its parent's, which is as good
as new: nothing in a `Cleaner` refers to the process it was built in.
"""

from __future__ import annotations

import threading

from cleaner.options import Options
from cleaner.pipeline import Cleaner

# Distinct options kept per thread; one more replaces the oldest.
_MAX_CACHED = 8
_local = threading.local()


def default_cleaner(options: Options | None = None) -> Cleaner:
    """The thread's `Cleaner` for `options` (default options if None), built on first use."""
    options = options or Options()
    cached: dict[Options, Cleaner] | None = getattr(_local, "cleaners", None)
    if cached is None:
        cached = _local.cleaners = {}
    found = cached.get(options)
    if found is None:
        if len(cached) >= _MAX_CACHED:
            del cached[next(iter(cached))]
        found = cached[options] = Cleaner(options)
    return found
