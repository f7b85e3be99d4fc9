"""Text-level chrome removal: menus, ads, teasers, share bars and footers left in page text.

rules = ChromeRules.load()                       # packaged rules.toml, compiled once
result = strip_chrome(blocks_from_text(page), rules, mode="text")
result.kept, result.removed                      # every removal names its reason and rule
"""

from cleaner.chrome.blocks import blocks_from_text
from cleaner.chrome.rules import ChromeRules
from cleaner.chrome.strip import ChromeResult, strip_chrome

__all__ = ["ChromeResult", "ChromeRules", "blocks_from_text", "strip_chrome"]
