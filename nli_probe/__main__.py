"""`python -m nli_probe` runs the CLI."""

from nli_probe.cli import run

run()
