"""CheckList interop: its `Perturb` functions as perturbations (`interop`), and its tests and
test suites run through nli-probe's engine (`run`). CheckList itself is an optional extra,
imported only when these are called."""
