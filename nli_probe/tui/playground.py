"""The Playground pane: type a pair (or send one from any pane with `p`), see every loaded
model's probabilities and the variants the built-in perturbations make of it: each variant's
edit highlighted against the typed pair, and each model's prediction, marked where it flipped
from the model's prediction on the typed pair."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.console import Group
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, Select, Static

from nli_probe.core.labels import LABELS, Label
from nli_probe.models.engine import predict
from nli_probe.tui.diff import pair_edit
from nli_probe.tui.messages import ModelsLoaded, PlaygroundResult, describe_error
from nli_probe.tui.models import ModelHub
from nli_probe.tui.pair_actions import PairRef
from nli_probe.tui.panes import Workbench, register_pane
from nli_probe.tui.render import label_text, prob_table
from nli_probe.tui.suites import FLIP_STYLE
from nli_probe.tui.variants import pair_variants


class PlaygroundPane(Vertical):
    """Premise and hypothesis inputs, the models' probabilities, and the variants table."""

    MAIN_CONTROL = "#pg-premise"
    """What gets the focus when the pane's tab opens."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+r", "predict", "Predict")]

    def __init__(self, hub: ModelHub, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.hub = hub
        self.pair: tuple[str, str] = ("", "")
        """The pair the variants table shows the variants of."""

    def load_pair(self, pair: PairRef) -> None:
        """Fill the inputs with `pair` (sent from another pane) and predict it."""
        self.query_one("#pg-premise", Input).value = pair.premise
        self.query_one("#pg-hypothesis", Input).value = pair.hypothesis
        gold = self.query_one("#pg-gold", Select)
        if pair.gold is None or pair.gold < 0:
            gold.clear()
        else:
            gold.value = int(pair.gold)
        self.query_one("#pg-hypothesis", Input).focus()
        self.action_predict()

    def compose(self) -> ComposeResult:
        yield Input(placeholder="premise", id="pg-premise", compact=True)
        yield Input(placeholder="hypothesis", id="pg-hypothesis", compact=True)
        with Horizontal(classes="filters"):
            yield Select(
                [(str(label), int(label)) for label in LABELS],
                prompt="gold (optional)",
                id="pg-gold",
                compact=True,
            )
            yield Button("Predict", id="pg-go", variant="primary", compact=True)
        yield Static(self._models_line(), id="pg-models")
        yield Static(id="pg-result")
        yield DataTable(id="pg-variants", cursor_type="row", zebra_stripes=True)

    def _models_line(self) -> Text:
        names = self.hub.names
        if not names:
            return Text(
                "no models loaded: start with --model PATH to predict; variants still show",
                style="dim",
            )
        note = " (loaded on first predict)" if self.hub.pending else ""
        return Text(f"models: {', '.join(names)}{note}", style="dim")

    def models_changed(self) -> None:
        self.query_one("#pg-models", Static).update(self._models_line())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "pg-premise":
            self.query_one("#pg-hypothesis", Input).focus()
        else:
            self.action_predict()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_predict()

    def action_predict(self) -> None:
        premise = self.query_one("#pg-premise", Input).value.strip()
        hypothesis = self.query_one("#pg-hypothesis", Input).value.strip()
        if not premise or not hypothesis:
            self.query_one("#pg-result", Static).update(
                Text("type a premise and a hypothesis first", style="yellow")
            )
            return
        gold_value = self.query_one("#pg-gold", Select).value
        gold = None if gold_value is Select.NULL else Label(int(str(gold_value)))
        self.query_one("#pg-result", Static).update(Text("predicting…", style="dim"))
        self.pair = (premise, hypothesis)
        self.run_predictions(premise, hypothesis, gold)

    @work(thread=True, exclusive=True, group="playground")
    def run_predictions(self, premise: str, hypothesis: str, gold: Label | None) -> None:
        """Load the models if needed, then predict the pair and its variants (worker thread)."""
        try:
            models = self.hub.load()
            self.post_message(ModelsLoaded())
            variants = pair_variants(premise, hypothesis, gold=gold)
            pairs = [(premise, hypothesis)] + [named.variant.pair for named in variants]
            per_model = [predict(model, pairs) for model in models]
        # Anything a model or suite raises is shown; a failed job must not end the UI.
        except Exception as error:
            self.post_message(
                PlaygroundResult(original=[], variants=[], error=describe_error(error))
            )
            return
        original = [(model.name, preds[0]) for model, preds in zip(models, per_model, strict=True)]
        rows = [
            (named.perturbation, named.variant, [preds[i + 1] for preds in per_model])
            for i, named in enumerate(variants)
        ]
        self.post_message(PlaygroundResult(original=original, variants=rows))

    def on_playground_result(self, message: PlaygroundResult) -> None:
        message.stop()
        result = self.query_one("#pg-result", Static)
        if message.error:
            result.update(Text(message.error, style="bold red"))
            return
        parts: list[Any] = []
        if message.original:
            parts.append(prob_table([(n, p.probs, -1) for n, p in message.original]))
        else:
            parts.append(Text("no models: variants only", style="dim"))
        count = len(message.variants)
        parts.append(
            Text(
                f"{count} variant{'s' if count != 1 else ''} from the built-in probes"
                if count
                else "no built-in probe applies to this pair",
                style="dim",
            )
        )
        result.update(Group(*parts))
        table = self.query_one("#pg-variants", DataTable)
        table.clear(columns=True)
        models = [name for name, _ in message.original]
        # The probe and the edit wrap in their columns (rows grow): nothing is cut at 80x24.
        width = max(20, self.size.width - 18 - 6 - 11 * len(models) - 6)
        table.add_column("probe", width=16)
        table.add_column("edit (vs typed pair)", width=width)
        table.add_column("implies")
        for name in models:
            table.add_column(name)
        premise, hypothesis = self.pair
        for name, variant, predictions in message.variants:
            implied = label_text(-1 if variant.label is None else int(variant.label))
            edit = pair_edit(premise, hypothesis, variant.premise, variant.hypothesis)
            cells: list[Any] = [name, edit, implied]
            for (_, before), prediction in zip(message.original, predictions, strict=True):
                cells.append(_prediction_cell(before.label, prediction))
            table.add_row(*cells, height=None)


def _prediction_cell(before: Label, prediction: Any) -> Text:
    """`con .62`, marked (`→con .62`) where it flipped from the typed pair's prediction."""
    if prediction.label == before:
        cell = label_text(int(prediction.label))
    else:
        cell = Text("→")
        cell.append_text(label_text(int(prediction.label)))
        cell.stylize(FLIP_STYLE)
    cell.append(f" {prediction.confidence:.2f}")
    return cell


@register_pane(id="playground", title="Playground", order=50)
def playground_pane(app: Workbench) -> Widget:
    return PlaygroundPane(app.hub)
