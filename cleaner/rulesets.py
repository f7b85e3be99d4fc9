"""The rule files a `Cleaner` is built from, and the digest that names them in its records.

    digest = check_rules(options)   # == Cleaner(options).rules_digest, raises RulesError

The parent process of a batch only writes records, and records carry `rules_digest`; it gets
the digest from the files' bytes here, and compiles only the files a user supplied (to fail
before any worker starts), so it never imports the cleaning pipeline.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from cleaner.chrome.rules import ChromeRules
from cleaner.errors import RulesError
from cleaner.options import Options

PACKAGE = Path(__file__).resolve().parent
CHROME_RULES = PACKAGE / "chrome" / "rules.toml"
DOM_RULES = PACKAGE / "extract" / "dom_rules.toml"
NO_SITE_RULES = "none"


def combined_digest(chrome: str, dom: str, site: str) -> str:
    """The `rules_digest` of the three rule sets' own digests."""
    return hashlib.sha256(f"{chrome}:{dom}:{site}".encode()).hexdigest()[:16]


def check_rules(options: Options) -> str:
    """The `rules_digest` of `Cleaner(options)`. The user's rule files are compiled, so a
    bad one raises RulesError here; the packaged ones are only read."""
    if options.rules_path is not None:
        chrome = ChromeRules.load(options.rules_path).digest
    else:
        chrome = hashlib.sha256(_read(CHROME_RULES)).hexdigest()
    dom = hashlib.sha256(_read(DOM_RULES)).hexdigest()[:16]
    site = NO_SITE_RULES
    if options.site_rules_path is not None:
        from cleaner.site_rules import SiteRules  # BeautifulSoup's selectors: only when given

        site = SiteRules.load(options.site_rules_path).digest
    return combined_digest(chrome, dom, site)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise RulesError(f"cannot read rules file {path}: {exc}") from exc
