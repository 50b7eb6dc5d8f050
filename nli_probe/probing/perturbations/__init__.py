"""Built-in perturbations (and the expectations and templates that go with them).

Every module in this package is imported the first time a perturbation, expectation or
template name is looked up, so a new built-in is one new module with `@register_perturbation`
(or `@register_expectation`, `@register_template`) factories; no shared list to edit.
Modules whose name starts with `_` are skipped.
"""
