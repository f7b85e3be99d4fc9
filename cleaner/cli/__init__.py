"""The command line: a thin click layer over the library, one module per command.

Exit codes: 0 every input cleaned (`ok` or `empty`), 1 some inputs failed (each one has an
`error` record), 2 usage error, 3 the output could not be written (a full disk: what was
written is whole, and the same command resumes).
"""

from __future__ import annotations

import click

from cleaner.cli.clean import clean
from cleaner.cli.explain import explain
from cleaner.cli.fetch import fetch
from cleaner.cli.ray import ray_command
from cleaner.cli.report import report


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cleaner")
def main() -> None:
    """Strip site chrome (ads, teasers, menus, share bars, footers...) from web pages and
    emit clean article text plus metadata, one JSON record per input."""


main.add_command(clean)
main.add_command(fetch)
main.add_command(ray_command)
main.add_command(report)
main.add_command(explain)
