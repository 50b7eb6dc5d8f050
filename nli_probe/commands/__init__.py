"""CLI subcommands, one module each; `nli_probe.cli` discovers them.

A command module defines `register(subparsers)`, which adds its parser and sets
`handler=<function(args) -> int>` with `set_defaults`. Keep module-level imports light (no
torch, transformers or textual): import those inside the handler.
"""
