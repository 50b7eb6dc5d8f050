"""The Playground pane: type a pair (or send one from any pane with `p`), see every loaded
model's probabilities and the variants the built-in perturbations make of it: each variant's
edit highlighted against the typed pair, and each model's prediction, marked where it flipped
from the model's prediction on the typed pair. `ctrl+t` attacks the typed pair with a registered
attack recipe, every model in turn, and shows the edit that changed its mind."""

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

from nli_probe.core.example import Example
from nli_probe.core.labels import LABELS, Label
from nli_probe.models.engine import predict
from nli_probe.probing.attacks.attack import ATTACKS, get_attack
from nli_probe.probing.attacks.runner import AttackResult, attack_examples
from nli_probe.tui.diff import pair_edit
from nli_probe.tui.messages import (
    ModelsLoaded,
    PlaygroundAttack,
    PlaygroundResult,
    describe_error,
)
from nli_probe.tui.models import ModelHub
from nli_probe.tui.pair_actions import PairRef
from nli_probe.tui.panes import Workbench, register_pane
from nli_probe.tui.render import label_text, prob_table
from nli_probe.tui.suites import FLIP_STYLE
from nli_probe.tui.variants import PLAYGROUND_ID, pair_variants

DEFAULT_ATTACK = "deepwordbug"
ATTACK_SEED = 0
"""The playground's attacks are seeded, so the same pair gives the same edit every time."""


class PlaygroundPane(Vertical):
    """Premise and hypothesis inputs, the models' probabilities, and the variants table."""

    MAIN_CONTROL = "#pg-premise"
    """What gets the focus when the pane's tab opens."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "predict", "Predict"),
        Binding("ctrl+t", "attack", "Attack"),
    ]

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
            yield Select(
                [(name, name) for name in ATTACKS.names()],
                value=DEFAULT_ATTACK,
                allow_blank=False,
                id="pg-recipe",
                compact=True,
            )
            yield Button("Attack", id="pg-attack-go", compact=True)
        yield Static(self._models_line(), id="pg-models")
        yield Static(id="pg-result")
        yield Static(id="pg-attack")
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
        if event.button.id == "pg-attack-go":
            self.action_attack()
        else:
            self.action_predict()

    def _typed(self, status: str) -> tuple[str, str, Label | None] | None:
        """The typed pair and gold; None (with a hint in `status`) if a side is empty."""
        premise = self.query_one("#pg-premise", Input).value.strip()
        hypothesis = self.query_one("#pg-hypothesis", Input).value.strip()
        if not premise or not hypothesis:
            self.query_one(status, Static).update(
                Text("type a premise and a hypothesis first", style="yellow")
            )
            return None
        gold_value = self.query_one("#pg-gold", Select).value
        gold = None if gold_value is Select.NULL else Label(int(str(gold_value)))
        return premise, hypothesis, gold

    def action_predict(self) -> None:
        typed = self._typed("#pg-result")
        if typed is None:
            return
        self.query_one("#pg-result", Static).update(Text("predicting…", style="dim"))
        self.pair = (typed[0], typed[1])
        self.run_predictions(*typed)

    def action_attack(self) -> None:
        """Attack the typed pair with the chosen recipe, every model in turn: away from the
        gold label if one is chosen, else away from the model's own prediction."""
        typed = self._typed("#pg-attack")
        if typed is None:
            return
        if not self.hub:
            self.query_one("#pg-attack", Static).update(
                Text("no models loaded: an attack needs a model (--model PATH)", style="yellow")
            )
            return
        recipe = str(self.query_one("#pg-recipe", Select).value)
        self.query_one("#pg-attack", Static).update(Text(f"attacking ({recipe})…", style="dim"))
        self.run_attack(*typed, recipe)

    @work(thread=True, exclusive=True, group="playground-attack")
    def run_attack(self, premise: str, hypothesis: str, gold: Label | None, recipe: str) -> None:
        """Load the models if needed, then attack the pair with each (worker thread)."""
        example = Example(id=PLAYGROUND_ID, premise=premise, hypothesis=hypothesis, gold=gold)
        try:
            models = self.hub.load()
            self.post_message(ModelsLoaded())
            attack = get_attack(recipe)
            results = [
                (
                    model.name,
                    attack_examples(model, attack, [example], seed=ATTACK_SEED, unlabelled=True)[0],
                )
                for model in models
            ]
        # Anything a model or an attack raises is shown; a failed job must not end the UI.
        except Exception as error:
            self.post_message(
                PlaygroundAttack(recipe=recipe, results=[], error=describe_error(error))
            )
            return
        self.post_message(PlaygroundAttack(recipe=recipe, results=results))

    def on_playground_attack(self, message: PlaygroundAttack) -> None:
        message.stop()
        shown = self.query_one("#pg-attack", Static)
        if message.error:
            shown.update(Text(message.error, style="bold red"))
            return
        parts: list[Any] = [Text(f"attack: {message.recipe}", style="dim")]
        parts += [attack_result_text(name, result) for name, result in message.results]
        shown.update(Group(*parts))

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


def attack_result_text(model: str, result: AttackResult) -> Text:
    """One model's attack on the typed pair: what happened, the prediction before → after, the
    cost, and the edit highlighted against the typed pair."""
    text = Text.assemble((model, "bold"), ": ")
    original = result.original
    if result.status == "errored":
        text.append(f"attack failed to run: {result.error}", style="red")
        return text
    if result.status == "already_wrong" and original is not None:
        gold = -1 if result.example.gold is None else int(result.example.gold)
        text.append("already predicts ")
        text.append_text(label_text(int(original.label), short=False))
        text.append(", not the gold ")
        text.append_text(label_text(gold, short=False))
        text.append(": nothing to attack", style="dim")
        return text
    found = result.found
    if found is None or original is None:
        text.append(result.status.replace("_", " "), style="dim")
        return text
    state = found.state
    if result.status == "succeeded":
        text.append("changed its mind ", style="bold red")
    else:
        budget = " (query budget spent)" if result.out_of_budget else ""
        text.append(f"held{budget}: best edit found ", style="green")
    text.append_text(label_text(int(original.label)))
    text.append(f" {original.confidence:.2f} → ")
    text.append_text(label_text(int(state.prediction.label)))
    text.append(
        f" {state.prediction.confidence:.2f} · {len(state.edits)} word(s) changed · "
        f"{result.queries} queries\n"
    )
    example = result.example
    text.append_text(pair_edit(example.premise, example.hypothesis, *state.pair))
    return text


@register_pane(id="playground", title="Playground", order=50)
def playground_pane(app: Workbench) -> Widget:
    return PlaygroundPane(app.hub)
