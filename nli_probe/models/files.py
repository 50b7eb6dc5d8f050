"""What a model folder must hold before transformers reads it, checked with clear errors.

transformers is lenient where nli-probe must not be: a folder without tokenizer files gets a
tokenizer built from the config alone (a handful of special tokens, so every word becomes the
unknown token and the predictions are garbage), and a truncated weights file fails deep inside
the loader. These checks need no torch: they read file names and safetensors headers.
"""

from __future__ import annotations

from pathlib import Path

from nli_probe.errors import NLIProbeError

VOCABULARY_FILES = (
    "tokenizer.json",
    "vocab.txt",
    "vocab.json",
    "spiece.model",
    "sentencepiece.bpe.model",
    "tokenizer.model",
)
"""A folder holds a tokenizer when it has one of these (fast tokenizer, WordPiece, BPE,
SentencePiece); `tokenizer_config.json` alone says how to build one, not its vocabulary."""

PLAUSIBLE_VOCABULARY_SHARE = 0.5
"""A tokenizer that knows fewer tokens than this share of the embedding matrix's rows does not
belong to the model (checkpoints pad their embeddings by a few rows at most)."""


def has_tokenizer(folder: Path) -> bool:
    """True when `folder` holds tokenizer vocabulary files."""
    return any((folder / name).is_file() for name in VOCABULARY_FILES)


def require_tokenizer(folder: Path, *, model: Path | str | None = None) -> None:
    """Refuse a model folder without tokenizer files, naming the files expected."""
    if has_tokenizer(folder):
        return
    what = f"{model}: its tokenizer folder {folder}" if model is not None else str(folder)
    raise NLIProbeError(
        f"{what} has no tokenizer files (expected tokenizer.json, or tokenizer_config.json "
        f"with vocab.txt, vocab.json + merges.txt or a SentencePiece .model): without them "
        f"every word would be read as unknown; copy the tokenizer files of the model it was "
        f"trained from into it (tokenizer.save_pretrained(folder))"
    )


def check_vocabulary(tokens: int, embedding_rows: int, *, model: str) -> None:
    """Refuse a tokenizer far smaller than the model's embedding matrix: it is not the model's
    own (a missing tokenizer rebuilt from the config knows only the special tokens)."""
    if embedding_rows > 0 and tokens < embedding_rows * PLAUSIBLE_VOCABULARY_SHARE:
        raise NLIProbeError(
            f"{model}: its tokenizer knows {tokens:,} tokens but the model's embedding matrix "
            f"has {embedding_rows:,} rows, so the tokenizer is not the model's own (expected "
            f"the model's tokenizer.json, or vocab.txt / vocab.json + merges.txt / a "
            f"SentencePiece .model, beside its config.json)"
        )


def require_safetensors(folder: Path) -> None:
    """Refuse a checkpoint folder without safetensors weights (pickled `.bin` files can run
    code), and one whose safetensors files are truncated or corrupt."""
    if (
        not any(folder.glob("*.safetensors"))
        and not (folder / "model.safetensors.index.json").is_file()
    ):
        pickled = sorted(p.name for p in folder.glob("*.bin")) + sorted(
            p.name for p in folder.glob("*.pt")
        )
        found = f" (found {', '.join(pickled)})" if pickled else ""
        raise NLIProbeError(
            f"{folder} has no .safetensors weights{found}: nli-probe loads only safetensors, "
            f"because pickled .bin weights can run code; convert them with "
            f"`model.save_pretrained(folder, safe_serialization=True)` in a trusted session"
        )
    for file in sorted(folder.glob("*.safetensors")):
        check_safetensors(file)


def check_safetensors(file: Path) -> None:
    """Refuse a safetensors file whose header does not parse or does not cover the file: what
    an interrupted download or copy leaves behind."""
    from safetensors import SafetensorError, safe_open

    try:
        with safe_open(str(file), framework="numpy"):
            pass
    except (SafetensorError, OSError, ValueError) as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else "unreadable"
        raise NLIProbeError(
            f"{file}: not a complete safetensors file ({reason}); it is truncated or corrupt, "
            f"e.g. by an interrupted download or copy: download or save the model again"
        ) from None


def require_adapter_weights(folder: Path) -> None:
    weights = folder / "adapter_model.safetensors"
    if not weights.is_file():
        pickled = [p.name for p in folder.glob("adapter_model.bin")]
        found = f" (found {', '.join(pickled)})" if pickled else ""
        raise NLIProbeError(
            f"{folder} has no adapter_model.safetensors{found}: nli-probe loads only "
            f"safetensors, because pickled .bin weights can run code; re-save the adapter with "
            f"`model.save_pretrained(folder, safe_serialization=True)` in a trusted session"
        )
    check_safetensors(weights)
