"""Built-in study presets (`nli-probe study NAME`): TOML files read by `nli_probe.study_config`."""
