"""What `nli-probe data ls` and `data download` show: every named data set, whether its files are
in the data folder, and how its download is checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nli_probe.data.catalog import CATALOG, GIT_BLOB_SHA1, Family
from nli_probe.data.formats import SLICES
from nli_probe.errors import NLIProbeError


def catalog_rows(data_dir: Path) -> list[dict[str, Any]]:
    """One JSON-ready row per `family:split` name, catalog order."""
    from nli_probe.data.folder import find_files, is_embedded

    rows = []
    for family in CATALOG.values():
        for split in family.splits:
            name = f"{family.name}:{split}"
            try:
                files = find_files(name, data_dir)
            except NLIProbeError:
                files = []
            embedded = any(is_embedded(path) for path in files)
            size = sum(path.stat().st_size for path in files)
            rows.append(
                {
                    "name": name,
                    "family": family.name,
                    "title": family.title,
                    "present": "embedded" if embedded else ("yes" if files else "no"),
                    "files": [str(path) for path in files],
                    "size": _size(size) if files else (family.download_size or "?"),
                    "bytes": size if files else None,
                    "licence": family.licence,
                    "label_scheme": family.label_scheme,
                    "slices": list(
                        dict.fromkeys(
                            [*SLICES.get(family.reader(split) or "", ()), *family.slices_for(split)]
                        )
                    ),
                    "checksum": checksum_kind(family),
                    "checksum_detail": checksum_policy(family),
                    "downloadable": family.downloadable,
                    "note": family.note,
                }
            )
    return rows


def checksum_kind(family: Family) -> str:
    """`pinned`, `recorded` (at first download), both, or `–` (not downloaded by nli-probe)."""
    if not family.downloadable:
        return "–"
    pinned = {artefact.checksum is not None for artefact in family.artefacts}
    return "pinned + recorded" if len(pinned) == 2 else ("pinned" if True in pinned else "recorded")


def checksum_policy(family: Family) -> str:
    """How a family's downloads are checked, in words."""
    if not family.downloadable:
        return "not downloaded by nli-probe"
    kinds = []
    for artefact in family.artefacts:
        if artefact.checksum is None:
            kinds.append("recorded at first download")
        elif artefact.checksum.algorithm == GIT_BLOB_SHA1:
            kinds.append(f"pinned git blob id ({artefact.checksum.provenance})")
        else:
            kinds.append(f"pinned SHA-256 ({artefact.checksum.provenance})")
    return "; ".join(dict.fromkeys(kinds))


def ready_splits(name: str, data_dir: Path) -> list[tuple[str, list[Path]]]:
    """The splits of `name`'s family (or `name` alone) whose files are all in the data folder."""
    from nli_probe.data.folder import find_files, is_embedded, split_name

    family_name, split = split_name(name) if ":" in name else (name, None)
    family = CATALOG[family_name]
    ready = []
    for candidate in family.splits if split is None else [split]:
        spec = f"{family.name}:{candidate}"
        try:
            files = find_files(spec, data_dir)
        except NLIProbeError:
            continue
        if not any(is_embedded(path) for path in files):
            ready.append((spec, files))
    if split is not None and not ready:
        # `data download snli:dev` fetched the zip: show every split it brought.
        return ready_splits(family.name, data_dir)
    return ready


def _size(count: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} B"
