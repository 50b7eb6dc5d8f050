"""Models and running them: locating and loading a checkpoint, adapter or hub model
(`load.load_model`), its label map, device, precision and fingerprint, the engine that predicts
each distinct pair once in token-budget batches (`engine`), and the prediction cache (`cache`).

torch, transformers and peft are imported only by the modules that load or run a network, and
only when they do: `engine` and `cache` work with any object that satisfies
`nli_probe.Model`.
"""
