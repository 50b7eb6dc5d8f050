"""`nli-probe cache info|clear`: what the prediction cache holds, and emptying it."""

from __future__ import annotations

import argparse
import datetime
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nli_probe.models.cache import CachedModel

_MIN_PREFIX = 6
"""Characters of a fingerprint that name a model in `cache clear --model`."""


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "cache",
        help="show or empty the prediction cache",
        description="The prediction cache keeps every model's predictions (an SQLite file, "
        "keyed by the model's fingerprint and the pair), so repeated evaluations make no "
        "model calls. `info` shows where it is, its size, and the models and pairs it holds; "
        "`clear` empties it, or forgets one model.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    info = actions.add_parser("info", help="where the cache is, its size, its models and pairs")
    _cache_option(info)
    info.add_argument("--json", action="store_true", help="print JSON instead of a table")
    info.set_defaults(handler=_info)
    clear = actions.add_parser("clear", help="forget every prediction, or one model's")
    _cache_option(clear)
    clear.add_argument(
        "--model",
        metavar="M",
        help="only this model: its name as `cache info` lists it, or the first characters "
        f"(at least {_MIN_PREFIX}) of its fingerprint",
    )
    clear.set_defaults(handler=_clear)
    parser.set_defaults(handler=lambda args: _usage(parser))


def _cache_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--cache",
        type=Path,
        metavar="FILE",
        help="the cache file (default: $NLI_PROBE_CACHE_DIR/predictions.sqlite3, else the "
        "user cache folder's; a study keeps its own in RUN/predictions.sqlite)",
    )


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _path(args: argparse.Namespace) -> Path:
    from nli_probe.models.cache import default_cache_path

    return Path(args.cache).expanduser() if args.cache else default_cache_path()


def _info(args: argparse.Namespace) -> int:
    from nli_probe.models.cache import PredictionCache, cache_size

    path = _path(args)
    models: list[CachedModel] = []
    if path.is_file():
        with PredictionCache(path) as cache:
            models = cache.models()
    size = cache_size(path)
    if args.json:
        record = {
            "path": str(path),
            "exists": path.is_file(),
            "bytes": size,
            "pairs": sum(model.pairs for model in models),
            "models": [
                {
                    "name": model.name,
                    "fingerprint": model.fingerprint,
                    "pairs": model.pairs,
                    "created": _when(model.created),
                }
                for model in models
            ],
        }
        print(json.dumps(record, indent=2))
        return 0
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not path.is_file():
        console.print(
            f"prediction cache: {path} (not created yet)", highlight=False, soft_wrap=True
        )
        return 0
    pairs = sum(model.pairs for model in models)
    console.print(f"prediction cache: {path} ({_bytes(size)})", highlight=False, soft_wrap=True)
    console.print(f"{len(models):,} model(s), {pairs:,} cached prediction(s)", highlight=False)
    if models:
        table = Table()
        for column in ("model", "fingerprint", "pairs", "first stored (UTC)"):
            table.add_column(column, justify="right" if column == "pairs" else "left")
        for model in models:
            table.add_row(
                model.name or "?",
                model.fingerprint[:12],
                f"{model.pairs:,}",
                _when(model.created),
            )
        console.print(table)
    return 0


def _clear(args: argparse.Namespace) -> int:
    from nli_probe.models.cache import PredictionCache, cache_size

    path = _path(args)
    if not path.is_file():
        print(f"no prediction cache at {path}: nothing to clear")
        return 0
    before = cache_size(path)
    with PredictionCache(path) as cache:
        models = cache.models()
        chosen = models if args.model is None else _matching(args.model, models, path)
        for model in chosen:
            cache.clear(None if args.model is None else model.fingerprint)
        cache.compact()
    pairs = sum(model.pairs for model in chosen)
    what = "every model" if args.model is None else ", ".join(_label(m) for m in chosen)
    print(
        f"cleared {pairs:,} prediction(s) of {what} from {path} "
        f"({_bytes(before)} -> {_bytes(cache_size(path))})"
    )
    return 0


def _matching(spec: str, models: list[CachedModel], path: Path) -> list[CachedModel]:
    from nli_probe.core.suggest import did_you_mean
    from nli_probe.errors import NLIProbeError

    found = [model for model in models if model.name == spec]
    if not found and len(spec) >= _MIN_PREFIX:
        found = [model for model in models if model.fingerprint.startswith(spec.lower())]
    if found:
        return found
    names = sorted({model.name for model in models})
    listed = ", ".join(names) or "none"
    raise NLIProbeError(
        f"the prediction cache {path} has no model {spec!r}{did_you_mean(spec, names)} (cached "
        f"models: {listed}; a fingerprint's first {_MIN_PREFIX}+ characters work too, see "
        "`nli-probe cache info`)"
    )


def _label(model: CachedModel) -> str:
    return f"{model.name or '?'} ({model.fingerprint[:12]})"


def _when(seconds: float) -> str:
    moment = datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _bytes(size: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"
