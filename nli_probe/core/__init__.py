"""The values every layer shares, and nothing that computes on them: labels, examples,
predictions, the `Model` protocol, reports and suite runs (what `report.json` holds), the JSON
round trip of records, the name registries, the one did-you-mean rule (`suggest`) and the one
preset loader (`presets`).

Everything above imports from here; this folder imports nothing of nli-probe's but
`nli_probe.errors` and `nli_probe.version`.
"""
