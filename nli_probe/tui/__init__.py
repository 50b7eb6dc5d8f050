"""The terminal UI (`nli-probe tui`): explore models, agreement and probes interactively.

This package's `__init__` imports nothing, so the pure modules (`table`, `browse`, `sources`)
load without textual: the filtering model is testable and benchmarkable on its own. The app
itself is `nli_probe.tui.app.NLIProbeApp`.
"""
