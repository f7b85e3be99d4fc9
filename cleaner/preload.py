"""What the worker pool's fork server loads before it forks workers (`cleaner.workers`).

Importing this module compiles the packaged chrome rules and loads the language profiles,
the slow parts of building a `Cleaner` (about 0.3 s each), so every worker forked from the
server starts with them already in memory and shares that memory with the others. Nothing
else imports it.

The server leaves without tidying up: freeing that heap would take its interpreter a good
part of a second, while the run's standard streams, which it shares, stay open, so a
pipeline reading the run's output (or its caller, waiting for them to close) would wait
for it.
"""

from __future__ import annotations

import atexit
import os

from cleaner.chrome import ChromeRules
from cleaner.language import _normalizer, profiles

ChromeRules.load()
profiles()
_normalizer()

atexit.register(os._exit, 0)  # runs first at exit: nothing in the server needs flushing
