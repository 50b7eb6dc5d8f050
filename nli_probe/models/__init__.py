"""Models and running them: locating and loading a checkpoint, adapter or hub model
(`load.load_model`), its label map, device, precision and fingerprint, the engine that predicts
each distinct pair once in token-budget batches (`engine`), and the prediction cache (`cache`);
under torchrun, the ranks (`distributed`), how the engine shares the work out between them
(`sharding`) and where they keep their finished batches (`journal`).

torch, transformers and peft are imported only by the modules that load or run a network, and
only when they do: `engine` and `cache` work with any object that satisfies
`nli_probe.Model`.
"""
