"""Recording training dynamics (`record_dynamics = true`): per training pair, the probability
the model gave its gold label and the label it chose, once per epoch (and every
`dynamics_steps` optimisation steps with the inference pass).

Two ways to take a record (`dynamics_pass`):

- `training` (the default): the training forward passes themselves. Each pair's probabilities
  are read off the logits of the batch it was trained in (dropout on, the weights of that
  step), so a record costs nothing beyond a softmax; the epoch's record is complete when the
  epoch ends. This is how the paper's reference code records its data maps.
- `inference`: at each record, the model in training predicts every training pair through the
  engine's fast path (`TransformersModel`: pairs sorted by length, batches cut by a token
  budget, `torch.inference_mode`, dropout off) with the weights of that moment. Exact for the
  paper's definition (the model at the end of each epoch), needed for records within an epoch,
  and costs about one inference pass over the training set per record.

README, "Training dynamics and data maps", gives what each costs and how far apart their maps
are (`benchmarks/bench_dynamics.py`).

Under `torchrun` every process keeps its own shard: with the inference pass it predicts its own
share of the pairs (every world-size-th pair from its rank on), with the training pass it keeps
what its batches held; the main process merges the shards when training ends
(`nli_probe.scoring.datamap.dynamics`). Shards are written at each record and, for the
training pass, with each checkpoint, so a resumed run keeps exactly what its checkpoint had.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from transformers import Trainer, TrainerCallback

from nli_probe.core.example import Example
from nli_probe.models.precision import PrecisionChoice
from nli_probe.scoring.datamap.dynamics import MISSING, Shard, read_shard, write_shard

INDEX = "pair_index"
"""The training set's extra column with the training pass: each pair's position, so its
logits can be filed under it (removed before the model sees the batch)."""


class DynamicsRecording(TrainerCallback):  # type: ignore[misc]
    """Records this process's training dynamics into its shard in `folder`."""

    def __init__(
        self,
        *,
        examples: Sequence[Example],
        tokenizer: Any,
        folder: Path,
        pass_name: str,
        every_steps: int,
        precision: PrecisionChoice,
        max_length: int,
        status: Callable[[str], None] | None = None,
    ) -> None:
        self.examples = examples
        self.tokenizer = tokenizer
        self.folder = folder
        self.pass_name = pass_name
        self.every_steps = every_steps
        self.precision = precision
        self.max_length = max_length
        self.status = status
        self.seconds = 0.0
        """Time this process spent recording (passes, softmaxes and shard writes)."""
        self.cpu_seconds = 0.0
        """CPU time this process spent recording: on a shared machine the share of the run
        that recording costs is read from CPU times, which other jobs do not inflate."""
        self._rank = 0
        self._shard: Shard | None = None
        self._pairs: list[tuple[str, str]] = []
        self._gold: Any = None
        self._model: LiveModel | None = None

    # --- both passes -------------------------------------------------------------------------

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        import numpy as np

        self._rank = int(args.process_index)
        n = len(self.examples)
        training = self.pass_name == "training"
        indices = (
            np.arange(n, dtype=np.int64)
            if training
            else np.arange(self._rank, n, int(args.world_size), dtype=np.int64)
        )
        saved = read_shard(self.folder, self._rank)
        if (
            saved is not None
            and np.array_equal(saved.indices, indices)
            and (saved.pending_step is not None) == training
        ):
            # A resumed run keeps what was recorded up to its checkpoint and records the rest
            # again; a fresh run (step 0) keeps nothing.
            self._shard = saved.keep_until(int(state.global_step))
        else:
            self._shard = Shard.empty(indices, pending=training)
        if saved is not None:
            write_shard(self.folder, self._rank, self._shard)
        self._pairs = [self.examples[int(i)].pair for i in indices]
        gold = [self.examples[int(i)].gold for i in indices]  # every training pair has one
        self._gold = np.array([int(label or 0) for label in gold], dtype=np.int64)

    def on_epoch_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        shard = self._shard
        if shard is None:
            return
        if self.pass_name == "training":
            self._close_epoch(state)
            return
        if len(shard.steps) and int(shard.steps[-1]) == state.global_step:
            return  # already recorded at this step (every_steps divides the epoch)
        self._infer(state, kwargs["model"])

    # --- the inference pass ------------------------------------------------------------------

    def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if self.pass_name != "inference" or not self.every_steps:
            return
        if state.global_step % self.every_steps == 0:
            self._infer(state, kwargs["model"])

    def _infer(self, state: Any, network: Any) -> None:
        import numpy as np

        shard = self._shard
        if shard is None:
            return
        started, cpu = time.perf_counter(), time.process_time()
        self._say("recording training dynamics")
        was_training = network.training
        network.eval()
        try:
            if self._model is None or self._model.network is not network:
                self._model = LiveModel(
                    network=network,
                    tokenizer=self.tokenizer,
                    precision=self.precision,
                    max_length=self.max_length,
                )
            probs = self._model.probabilities(self._pairs)
        finally:
            network.train(was_training)
        self._shard = shard.add(
            step=int(state.global_step),
            epoch=float(state.epoch or 0.0),
            gold_prob=probs[np.arange(len(self._gold)), self._gold],
            predicted=probs.argmax(axis=1),
        )
        write_shard(self.folder, self._rank, self._shard)
        self._spent(started, cpu)
        self._say("")

    # --- the training pass -------------------------------------------------------------------

    def observe(self, index: Any, logits: Any, step: int) -> None:
        """File the probabilities of one training batch under its pairs (`index`: their
        positions), as taken at optimisation step `step`."""
        import numpy as np

        shard = self._shard
        if shard is None or shard.pending_gold_prob is None:
            return
        started, cpu = time.perf_counter(), time.process_time()
        probs = logits.detach().float().softmax(dim=-1).cpu().numpy()
        rows = index.detach().cpu().numpy().astype(np.int64)
        shard.pending_gold_prob[rows] = probs[np.arange(len(rows)), self._gold[rows]]
        shard.pending_predicted[rows] = probs.argmax(axis=1)  # type: ignore[index]
        shard.pending_step[rows] = step  # type: ignore[index]
        self._spent(started, cpu)

    def on_save(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        # The checkpoint holds the epoch in progress: so does the shard.
        if self.pass_name == "training" and self._shard is not None:
            write_shard(self.folder, self._rank, self._shard)

    def _close_epoch(self, state: Any) -> None:
        import numpy as np

        shard = self._shard
        if shard is None or shard.pending_gold_prob is None or shard.pending_predicted is None:
            return
        started, cpu = time.perf_counter(), time.process_time()
        record = shard.add(
            step=int(state.global_step),
            epoch=float(state.epoch or 0.0),
            gold_prob=shard.pending_gold_prob.copy(),
            predicted=shard.pending_predicted.copy(),
        )
        n = len(shard.indices)
        self._shard = Shard(
            indices=record.indices,
            gold_prob=record.gold_prob,
            predicted=record.predicted,
            steps=record.steps,
            epochs=record.epochs,
            pending_gold_prob=np.full(n, np.nan, dtype=np.float32),
            pending_predicted=np.full(n, MISSING, dtype=np.int8),
            pending_step=np.full(n, MISSING, dtype=np.int64),
        )
        write_shard(self.folder, self._rank, self._shard)
        self._spent(started, cpu)

    def _spent(self, started: float, cpu: float) -> None:
        self.seconds += time.perf_counter() - started
        self.cpu_seconds += time.process_time() - cpu

    def _say(self, text: str) -> None:
        if self.status is not None:
            self.status(text)


def with_index(encoded: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The encoded training set with each pair's position (`INDEX`), for the training pass."""
    return [{**row, INDEX: position} for position, row in enumerate(encoded)]


class RecordingTrainer(Trainer):  # type: ignore[misc]
    """A `Trainer` that hands each training batch's logits to a `DynamicsRecording` (the
    training pass), taking the pairs' positions out of the batch before the model sees it."""

    recording: DynamicsRecording | None = None

    def compute_loss(
        self,
        model: Any,
        inputs: dict[str, Any],
        return_outputs: bool = False,
        num_items_in_batch: Any = None,
    ) -> Any:
        index = inputs.pop(INDEX, None)
        if index is None or self.recording is None or not model.training:
            return super().compute_loss(
                model, inputs, return_outputs=return_outputs, num_items_in_batch=num_items_in_batch
            )
        loss, outputs = super().compute_loss(
            model, inputs, return_outputs=True, num_items_in_batch=num_items_in_batch
        )
        # This batch counts towards the step being taken.
        self.recording.observe(index, outputs.logits, self.state.global_step + 1)
        return (loss, outputs) if return_outputs else loss


class LiveModel:
    """The network being trained behind the engine's fast path (a `TransformersModel` built
    around it, with nothing loaded or cast: the Trainer keeps its weights as they are).

    Made for predicting the same pairs at every record: they are tokenized and planned into
    batches once, a LoRA network runs with its adapters merged into new weight tensors
    (`MergedLoRA`, computed by the engine's CPU kernel: `nli_probe.models.cpu_linear`), and the
    last encoder layer computes only the position the classifier reads
    (`nli_probe.models.first_token`, inside the engine). README, "Training dynamics and data
    maps", gives what each saves."""

    def __init__(
        self, *, network: Any, tokenizer: Any, precision: PrecisionChoice, max_length: int
    ) -> None:
        from nli_probe.models.label_map import resolve_label_map
        from nli_probe.models.locate import ModelSource
        from nli_probe.models.transformers_model import TransformersModel

        from .merged_lora import MergedLoRA

        self.network = network
        device = str(next(network.parameters()).device)
        self._model = TransformersModel(
            name="training",
            network=network,
            tokenizer=tokenizer,
            label_map=resolve_label_map(network.config.id2label, model="the model in training"),
            device=device,
            precision=precision,
            max_length=max_length,
            source=ModelSource(kind="checkpoint", location="(in training)"),
            weights_digest="in training",  # never cached: the weights change every step
        )
        self._merged = MergedLoRA(network)
        self._encoded: Any = None
        self._pairs: Sequence[tuple[str, str]] | None = None

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> Any:
        """(pairs, 3) probabilities in `Label` order."""
        import numpy as np
        from torch.nn.functional import linear as torch_linear

        if self._pairs is not pairs:
            self._encoded, self._pairs = self._model.encode(pairs), pairs
        kernel = self._model.cpu_linear
        self._merged.linear = kernel.linear if kernel is not None else torch_linear
        with self._merged:
            predictions = self._model.predict_encoded(self._encoded)
        return np.array([prediction.probs for prediction in predictions], dtype=np.float64)


def finish_dynamics(
    trainer: Any,
    recording: DynamicsRecording,
    examples: Sequence[Example],
    target: Path,
    *,
    meta: dict[str, Any],
) -> dict[str, Any]:
    """Merge every process's shard into `target` (on the main process, once all processes
    have recorded), remove the shards, and return what `metrics.json` says about them."""
    from nli_probe.scoring.datamap.dynamics import (
        PairTable,
        merge_shards,
        remove_shards,
        write_dynamics,
    )

    # Every process has written its last shard before the main process reads them all.
    trainer.accelerator.wait_for_everyone()
    world = int(trainer.args.world_size)
    summary: dict[str, Any] = {
        "file": target.name,
        "pass": recording.pass_name,
        "every_steps": recording.every_steps,
        "pairs": len(examples),
        "seconds": round(recording.seconds, 2),
        "cpu_seconds": round(recording.cpu_seconds, 2),
    }
    if trainer.is_world_process_zero():
        dynamics = merge_shards(
            recording.folder,
            PairTable.of(examples),
            ranks=world,
            meta={**meta, "pass": recording.pass_name, "world_size": world},
        )
        write_dynamics(target, dynamics)
        remove_shards(recording.folder)
        summary["records"] = dynamics.records
        summary["steps"] = [int(step) for step in dynamics.steps]
        left_out = dynamics.meta.get("incomplete_records_left_out")
        if left_out:
            summary["incomplete_records_left_out"] = left_out
    return summary
