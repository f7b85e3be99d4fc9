"""The command line: a thin click layer over the library, one module per command.

Exit codes: 0 every input cleaned (`ok` or `empty`), 1 some inputs failed (each one has an
`error` record), 2 usage error, 3 the output could not be written (a full disk: what was
written is whole, and the same command resumes).
"""

from __future__ import annotations

import importlib

import click

# Each command's module, imported only when that command runs (or `--help` lists them all):
# `cleaner clean` need not load the fetching stack, nor `cleaner report` the cleaning one.
COMMANDS = {
    "clean": "cleaner.cli.clean:clean",
    "explain": "cleaner.cli.explain:explain",
    "fetch": "cleaner.cli.fetch:fetch",
    "ray": "cleaner.cli.ray:ray_command",
    "report": "cleaner.cli.report:report",
}
# The commands that clean in worker processes: their fork server starts first (see below).
_POOLED = frozenset({"clean", "fetch"})


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use (`COMMANDS`)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMANDS:
            module, attribute = COMMANDS[name].split(":")
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return super().get_command(ctx, name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """The command about to run. For one that cleans in workers, their fork server starts
        before the command's module is imported, so that its own imports (about a second)
        overlap those and everything before the first page."""
        if args and args[0] in _POOLED and not ctx.resilient_parsing and not {"-h", "--help"} & {*args}:
            from cleaner.workers import start_fork_server

            start_fork_server()
        return super().resolve_command(ctx, args)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cleaner")
def main() -> None:
    """Strip site chrome (ads, teasers, menus, share bars, footers...) from web pages and
    emit clean article text plus metadata, one JSON record per input."""
