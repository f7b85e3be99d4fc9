"""`cleaner explain` in the terminal: a `PageView` drawn with rich, in colour on a terminal and
as plain text when piped (rich leaves the styles out when its output is not a terminal).
Page text goes in as `Text`, never as markup, so brackets in a page are printed as they are."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from cleaner.report.view import PageView

_STATUS_STYLE = {"ok": "green", "empty": "yellow", "error": "bold red"}


def print_view(view: PageView, console: Console, *, only_removed: bool = False) -> None:
    console.print(Text(view.title or view.id, style="bold"))
    facts = Table.grid(padding=(0, 2))
    facts.add_row("id", Text(view.id))
    facts.add_row("status", Text(view.status, style=_STATUS_STYLE.get(view.status, "")))
    facts.add_row("words kept", str(view.words))
    for name, value, source in view.meta:
        if value is not None or source is not None:
            facts.add_row(name, Text(value or "–"), Text(source or "", style="dim"))
    console.print(facts)
    if view.error:
        console.print(Text(f"error {view.error.get('type')}: {view.error.get('message')}", style="red"))
    counts = ", ".join(f"{reason} {n}" for reason, n in view.counts().most_common())
    console.print(Text(f"removed: {counts or 'nothing'}", style="dim"))
    if not view.ordered:
        console.print(Text("page order unknown: kept blocks first, then the removed ones", style="yellow"))
    console.print()
    for item in view.items:
        if item.reason is None:
            if not only_removed:
                console.print(Text("  " + item.text, style="bold" if item.kind == "heading" else ""))
            continue
        line = Text("- ", style="red")
        line.append(f"[{item.reason} · {item.rule}] ", style="magenta")
        line.append(item.text, style="dim")
        console.print(line)
