"""The short model card (`README.md`) written into each run folder."""

from __future__ import annotations

from typing import Any

from .config import TrainConfig


def model_card(config: TrainConfig, metrics: dict[str, Any], summary: dict[str, Any]) -> str:
    """Markdown: what was trained, on what, how, and how well."""
    evaluation = metrics["eval"]
    train = metrics["train"]
    baseline = metrics.get("majority_baseline") or {}
    kind = (
        f"LoRA adapter (r={config.lora.r}, alpha={config.lora.alpha}, "
        f"targets {', '.join((metrics.get('lora_targets') or {}).get('target_modules', []))}; "
        f"the classifier head is trained and saved with it)"
        if config.method == "lora"
        else "fully fine-tuned weights"
    )
    lines = [
        f"# {config.name}: {config.base_model} fine-tuned for NLI ({config.method})",
        "",
        config.description or "Trained with `nli-probe train`.",
        "",
        f"- Model: this folder holds {kind}, safetensors, with the tokenizer; "
        "`nli-probe` and `transformers`/`peft` load it as is. Labels: "
        "0 entailment, 1 neutral, 2 contradiction (`id2label` in `config.json`).",
        f"- Base model: `{config.base_model}` ({metrics.get('model_type')}); "
        f"{metrics.get('trainable_parameters'):,} of {metrics.get('total_parameters'):,} "
        "parameters trained.",
        f"- Training data: {', '.join(summary['train']['sources'])}; pairs without a gold label "
        f"dropped; {summary['train']['sampled']:,} of {summary['train']['after_filter']:,} "
        f"pairs used (stratified sample, seed {config.sample_seed}).",
        f"- Evaluation data: {summary['eval']['source']}"
        + (
            f", a held-out stratified part of {summary['eval']['pairs']:,} pairs "
            f"(seed {config.split_seed}), never trained on"
            if config.held_out
            else f", {summary['eval']['pairs']:,} gold-labelled pairs"
        )
        + ".",
        f"- Recipe: {train['epochs']:.2f} epochs, {train['steps']} steps, batch "
        f"{config.batch_size} x {config.grad_accum} accumulation x {metrics.get('world_size', 1)} "
        f"process(es), learning rate {config.learning_rate:g}, {metrics['precision']}, "
        f"seed {config.seed}; best checkpoint by {config.best_metric}: "
        f"{metrics.get('best_checkpoint')}. Training took {train['runtime_s']:.0f} s.",
        "",
        "| metric | value |",
        "|---|---|",
        *(
            f"| {name} | {evaluation[name]:.4f} |"
            for name in (
                "accuracy",
                "precision_weighted",
                "recall_weighted",
                "f1_weighted",
                "f1_macro",
            )
            if name in evaluation
        ),
    ]
    if baseline:
        lines.append(
            f"| majority baseline accuracy ({baseline['label']}) | {baseline['accuracy']:.4f} |"
        )
    lines += [
        "",
        "Files: `config.toml` (the resolved config: `nli-probe train config.toml` reruns it), "
        "`data_summary.json` (class balance before/after filtering and sampling), "
        "`training_log.jsonl` (loss and evaluation per step/epoch), `metrics.json`.",
        "",
    ]
    return "\n".join(lines)
