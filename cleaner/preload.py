"""What the worker pool's fork server loads before it forks workers (`cleaner.workers`).

Importing this module loads the language profiles, the slowest part of building a `Cleaner`
(about 0.3 s), so every worker forked from the server starts with them already in memory and
shares that memory with the others. Nothing else imports it.
"""

from __future__ import annotations

from cleaner.language import _normalizer, profiles

profiles()
_normalizer()
