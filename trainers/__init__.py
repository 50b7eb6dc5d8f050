"""Built-in trainers (full fine-tuning and LoRA) and their presets; installed as
`nli_probe.trainers`."""
