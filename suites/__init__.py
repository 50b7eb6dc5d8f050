"""Built-in probe suites, written with the public API users use; installed as
`nli_probe.suites`."""
