"""Test doubles shared by the test suite, the benchmarks and users' own tests: models that
satisfy `nli_probe.Model` without torch (`fakes`). Nothing in the library imports this
folder."""
