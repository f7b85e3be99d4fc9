"""What the worker pool's fork server loads before it forks workers (`cleaner.workers`).

Importing this module compiles the packaged chrome rules and loads the language profiles,
the slow parts of building a `Cleaner` (about 0.3 s each), so every worker forked from the
server starts with them already in memory and shares that memory with the others. Nothing
else imports it.
"""

from __future__ import annotations

from cleaner.chrome import ChromeRules
from cleaner.language import _normalizer, profiles

ChromeRules.load()
profiles()
_normalizer()
