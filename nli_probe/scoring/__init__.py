"""Scores computed from a report's predictions: metrics, calibration, paired comparisons, the
annotator-agreement breakdown and the human ceiling, the low-agreement pairs; all gathered by
`scores.score_report` into `ReportScores`.

Front-ends (the commands, the TUI) call `score_report` and read the values it returns; they
never compute a score themselves (an import-linter contract in `pyproject.toml` keeps them to
`nli_probe.scoring.scores`, `frames` and the value modules).
"""
