"""The values every layer shares, and nothing that computes on them: labels, examples,
predictions, the `Model` protocol, reports and suite runs (what `report.json` holds), the JSON
round trip of records and the name registries.

Everything above imports from here; this folder imports nothing of nli-probe's but
`nli_probe.errors` and `nli_probe.version`.
"""
