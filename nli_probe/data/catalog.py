"""The named data sets: where each comes from, what it is checked against, where it lives in the
data folder, how it is read and scored.

A name is `family:split` (`hans:evaluation`, `anli:r1_test`, `snli:dev`); a family with one split
may be named alone (`breaking_nli`). Each family lists:

- its **artefacts**: the files `nli-probe data download` fetches (a URL, and a checksum pinned
  where the authors publish one or where it was computed from the real artefact; the others are
  recorded at first download and checked from then on, see `nli_probe.data.download`), and how
  each is placed into the data folder (a plain file, or the members of a zip);
- its **splits**: the file(s) of each, relative to the data folder and laid out as the official
  archives unpack (a split of several files reads them one after the other: `anli:test` is the
  three rounds' test files);
- the **reader** (`format`) its files need, its **label scheme** (three-way, or two-way for
  entailment / non-entailment data), the **slice fields** its scores are broken down by, and
  its licence.

Facts below were checked against the real bytes where the artefact could be obtained (Breaking
NLI's zip, the counterfactual SNLI files, SNLI's hard test set through a mirror, the robust-nli
hard MultiNLI files, HANS's git blob ids); the rest (ANLI's zip, the stress tests' zip,
MultiNLI's zip) comes from the authors' documentation and is checked at first download.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from nli_probe.core.parts import THREE_WAY, TWO_WAY
from nli_probe.core.suggest import did_you_mean
from nli_probe.errors import NLIProbeError

SHA256 = "sha256"
GIT_BLOB_SHA1 = "git-blob-sha1"
"""Checksum algorithms: SHA-256 of the bytes, or the id git gives the file in its authors'
repository (`sha1(b"blob <size>\\0" + bytes)`), which is what GitHub's raw URL serves."""

Unpack = Callable[[str], str | None]
"""A zip member's name -> where it goes in the data folder (relative), or None to skip it."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Checksum:
    algorithm: str
    value: str
    provenance: str
    """Why it is trusted: who published it, or what real copy it was computed from."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Artefact:
    """One file fetched from the network."""

    name: str
    """Its file name under `DATA/.downloads/` (unique across the catalog)."""
    url: str
    checksum: Checksum | None = None
    """None: recorded at the first download and checked from then on."""
    target: str = ""
    """Where a plain file goes in the data folder."""
    unpack: Unpack | None = None
    """For a zip: where each member goes."""
    requires: str = ""
    """A zip must yield this file (relative path), else it is not the expected archive."""
    web_page_risk: bool = False
    """The host may answer with an HTML page instead of the file (Google Drive's virus-scan
    page for large files): such an answer is refused, never unpacked."""

    @property
    def is_zip(self) -> bool:
        return self.unpack is not None

    @property
    def targets(self) -> tuple[str, ...]:
        """Files this artefact is known to provide (a zip's `requires`)."""
        return (self.target,) if self.target else ((self.requires,) if self.requires else ())


@dataclass(frozen=True, kw_only=True, slots=True)
class Split:
    files: tuple[str, ...]
    """Paths in the data folder, read in order; a `*` pattern stands for every matching file
    (sorted)."""
    alternatives: tuple[str, ...] = ()
    """Other accepted places for a one-file split (e.g. a stripped copy), tried after `files`."""
    artefacts: tuple[str, ...] = ()
    """Names of the artefacts that provide the files (empty: every artefact of the family)."""
    format: str | None = None
    """The reader, when it differs from the family's."""
    slices: tuple[str, ...] | None = None
    """Its slice fields, when they differ from the family's."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Family:
    """A data set family known by name."""

    name: str
    title: str
    licence: str
    splits: Mapping[str, Split]
    how_to_get: str
    """What to do when a file is missing (besides `nli-probe data download`)."""
    format: str | None = None
    """The reader its files need; None: sniffed from each file."""
    label_scheme: str = THREE_WAY
    slices: tuple[str, ...] = ()
    """Slice fields its scores are broken down by (when its pairs carry them)."""
    artefacts: tuple[Artefact, ...] = ()
    download_size: str = ""
    """What a download costs, in a few words, for `data ls`."""
    pattern: str = ""
    """Extra files matching this pattern (with `{split}`) are accepted as splits."""
    default_split: str = ""
    """The split a bare family name means (`breaking_nli` is `breaking_nli:test`)."""
    note: str = ""

    @property
    def downloadable(self) -> bool:
        return bool(self.artefacts)

    def artefacts_for(self, split: str | None) -> tuple[Artefact, ...]:
        """The artefacts a split needs (every one for `None`)."""
        if split is None or split not in self.splits or not self.splits[split].artefacts:
            return self.artefacts
        wanted = self.splits[split].artefacts
        return tuple(a for a in self.artefacts if a.name in wanted)

    def slices_for(self, split: str) -> tuple[str, ...]:
        chosen = self.splits.get(split)
        return self.slices if chosen is None or chosen.slices is None else chosen.slices

    def reader(self, split: str) -> str | None:
        chosen = self.splits.get(split)
        return chosen.format if chosen is not None and chosen.format else self.format


def _members(prefix: str, target: str, *, suffix: tuple[str, ...] = (".jsonl",)) -> Unpack:
    """Unpack the members under `prefix/` ending in `suffix` to `target/` (the same relative
    path), leaving out macOS litter (`__MACOSX/`, `._*`) and anything else."""

    def place(member: str) -> str | None:
        path = PurePosixPath(member)
        if path.is_absolute() or ".." in path.parts or "__MACOSX" in path.parts:
            return None
        if path.name.startswith(".") or not path.name.endswith(suffix):
            return None
        if path.parts[: len(PurePosixPath(prefix).parts)] != PurePosixPath(prefix).parts:
            return None
        rest = path.parts[len(PurePosixPath(prefix).parts) :]
        return str(PurePosixPath(target, *rest)) if rest else None

    return place


STRESS_FILE = re.compile(r"^multinli_0\.9_(?P<name>[a-z0-9_]+)\.jsonl$")


def _stress_members(member: str) -> str | None:
    """The stress tests' zip: every `multinli_0.9_*.jsonl`, wherever it sits (redistributions
    name the top folder differently), flattened into `stress_tests/`."""
    path = PurePosixPath(member)
    if "__MACOSX" in path.parts or ".." in path.parts or not STRESS_FILE.match(path.name):
        return None
    return f"stress_tests/{path.name}"


_HANS_COMMIT = "7299f6f657089ce06a0f98e7e81f8d0f5b7741ce"
_BREAKING_COMMIT = "efbf39cbd7bfc1f6d4c5324f0530934b2926a736"
_CAD_COMMIT = "6f232a1d2a11462a30ce08fb4825b734ab30828e"
_ROBUST_NLI_MIRROR = "0381b4b2e7c83883db69a65683fe906892d00127"
_AUTHORS_TREE = "the git blob id in the authors' repository (the bytes GitHub serves)"
_AUTHORS_COPY = "computed from the authors' copy in their repository"

# SHA-256 of each counterfactually revised SNLI file (NLI/<revision>/<split>.tsv).
_CAD_SHA256 = {
    ("original", "train"): "016b1657b1c0eb89e163aa194e5e2da6ca890fd6e97ee42c33de914e7e0a7ce6",
    ("original", "dev"): "27ef042f87b7181c79609b56734caed8fb9c09ba2627d0fe876f7248141fdff7",
    ("original", "test"): "07154b31ea7cf1bb0ac33e37bec143b928edbf2c964a73988973e5c0fe039b07",
    ("revised_premise", "train"): (
        "8d5875ce955c7f0f6a6e631c19feb2ca2cfdeb73042c8f507debcf0eb4e5947d"
    ),
    ("revised_premise", "dev"): "71574ca354961e571c6d7008cbe1eabcc1c1e955a926db6d11a1cb9657cf5033",
    ("revised_premise", "test"): (
        "808f4689dcfe71da62bc9395260fe45dd6f3771f0d867783dff913cb8d2fe7aa"
    ),
    ("revised_hypothesis", "train"): (
        "f2ce2d504263308d316b8c7cc17a101291f2aba11fcd55cf402299172508821b"
    ),
    ("revised_hypothesis", "dev"): (
        "9111cba776aa125900e8c2bae73db86540398d735cfcf7f9f15d49bb5ec20d31"
    ),
    ("revised_hypothesis", "test"): (
        "eff28a3c8c4a99150a81b36ad1c4840a9ea91ad0f488e514b1c143d12a4032b5"
    ),
}
CAD_REVISIONS = ("original", "revised_premise", "revised_hypothesis")

# SHA-256 of the robust-nli hard MultiNLI dev subsets, as the MIT-licensed mirror holds them.
_MNLI_HARD_SHA256 = {
    ("MNLIMatchedHardWithHardTest", "s1.test"): (
        "3138d8ca2b7b07bb76f7d78bfef171cf5232810d58a1d9afe1b7af081b90eedb"
    ),
    ("MNLIMatchedHardWithHardTest", "s2.test"): (
        "9445867c70c75c7929627b0a5db00b78a6b4f27fa0a9b31274a14ef4a13ed62a"
    ),
    ("MNLIMatchedHardWithHardTest", "labels.test"): (
        "961e6820e92a87963607c8ed8ec80b66a2a9f8df452bd93ac7f35ca41fb13315"
    ),
    ("MNLIMismatchedHardWithHardTest", "s1.test"): (
        "c1274e854a88f9766abfdda3fdeaf62e7e254287ad59cd05dd712ee25a953eef"
    ),
    ("MNLIMismatchedHardWithHardTest", "s2.test"): (
        "5959f3a64ced103ed722ec13ae65f9ecbaff4e452b717469602e521a491cdbae"
    ),
    ("MNLIMismatchedHardWithHardTest", "labels.test"): (
        "746b6b22ee5755ee96ee8cd5972ecc5a4d03078dbda4e36d60ee263cc9affa98"
    ),
}
_MNLI_HARD = {"dev_matched_hard": "MNLIMatchedHardWithHardTest"} | {
    "dev_mismatched_hard": "MNLIMismatchedHardWithHardTest"
}

SNLI_URL = "https://nlp.stanford.edu/projects/snli/snli_1.0.zip"
# SHA-256 of Stanford's snli_1.0.zip (the value ParlAI and NLIDatasets.jl also pin).
SNLI_SHA256 = "afb3d70a5af5d8de0d9d81e2637e0fb8c22d1235c2749d83125ca43dab0dbd3e"
SNLI_FOLDER = "snli_1.0"


def _snli_members(member: str) -> str | None:
    """`snli_1.0/*` (not macOS `__MACOSX/` litter, not hidden files), one level deep."""
    path = PurePosixPath(member)
    parts = path.parts
    if len(parts) != 2 or parts[0] != SNLI_FOLDER or path.is_absolute() or ".." in parts:
        return None
    return None if parts[1].startswith(".") else member


# Stress test file names (after `multinli_0.9_`) -> category; a `dev_gram_*` name is a spelling
# error test whose perturbation is the `*`.
STRESS_CATEGORIES = {
    "antonym": "antonym",
    "quant_hard": "numerical_reasoning",
    "taut2": "word_overlap",
    "negation": "negation",
    "length_mismatch": "length_mismatch",
    "dev_gram": "spelling_error",
}
_STRESS_SPLITS = {
    "all": ("stress_tests/multinli_0.9_*.jsonl",),
    "matched": ("stress_tests/multinli_0.9_*_matched.jsonl",),
    "mismatched": ("stress_tests/multinli_0.9_*_mismatched.jsonl",),
    "antonym": ("stress_tests/multinli_0.9_antonym_*.jsonl",),
    "numerical_reasoning": ("stress_tests/multinli_0.9_quant_hard.jsonl",),
    "word_overlap": ("stress_tests/multinli_0.9_taut2_*.jsonl",),
    "negation": ("stress_tests/multinli_0.9_negation_*.jsonl",),
    "length_mismatch": ("stress_tests/multinli_0.9_length_mismatch_*.jsonl",),
    "spelling_error": ("stress_tests/multinli_0.9_dev_gram_*.jsonl",),
}

_ANLI_ROUNDS = ("R1", "R2", "R3")


def _anli_splits() -> dict[str, Split]:
    splits: dict[str, Split] = {}
    for kind in ("train", "dev", "test"):
        for round_ in _ANLI_ROUNDS:
            splits[f"{round_.lower()}_{kind}"] = Split(files=(f"anli_v1.0/{round_}/{kind}.jsonl",))
        splits[kind] = Split(files=tuple(f"anli_v1.0/{r}/{kind}.jsonl" for r in _ANLI_ROUNDS))
    return splits


CATALOG: dict[str, Family] = {
    "snli": Family(
        name="snli",
        title="SNLI 1.0 (Bowman et al. 2015); test_hard: Gururangan et al. 2018",
        licence="CC BY-SA 4.0",
        splits={
            **{
                split: Split(
                    files=(f"{SNLI_FOLDER}/snli_1.0_{split}.jsonl",), artefacts=("snli_1.0.zip",)
                )
                for split in ("train", "dev", "test")
            },
            "test_hard": Split(
                files=(f"{SNLI_FOLDER}/snli_1.0_test_hard.jsonl",),
                artefacts=("snli_1.0_test_hard.jsonl",),
            ),
        },
        pattern=f"{SNLI_FOLDER}/snli_1.0_{{split}}.jsonl",
        how_to_get=(
            "run `nli-probe data download snli` (the official snli_1.0.zip from Stanford; "
            "`nli-probe data download snli:test_hard` for the hard test subset), or `nli-probe "
            "data download snli --from PATH/snli_1.0.zip` for a copy you have, or pass the "
            "file's path instead of the name"
        ),
        artefacts=(
            Artefact(
                name="snli_1.0.zip",
                url=SNLI_URL,
                checksum=Checksum(
                    algorithm=SHA256,
                    value=SNLI_SHA256,
                    provenance="pinned by ParlAI and NLIDatasets.jl (Stanford publishes none)",
                ),
                unpack=_snli_members,
                requires=f"{SNLI_FOLDER}/snli_1.0_dev.jsonl",
            ),
            Artefact(
                name="snli_1.0_test_hard.jsonl",
                url="https://nlp.stanford.edu/projects/snli/snli_1.0_test_hard.jsonl",
                checksum=Checksum(
                    algorithm=SHA256,
                    value="62a1a6d6689678e5ee1fdab0d602ce520acb2b85d90908204d4f120a9b2381db",
                    provenance=(
                        "computed from a copy downloaded from Stanford (a mirror's), whose MD5 "
                        "an independent project records for Stanford's file"
                    ),
                ),
                target=f"{SNLI_FOLDER}/snli_1.0_test_hard.jsonl",
            ),
        ),
        download_size="94 MB zip; hard 3 MB",
    ),
    "mnli": Family(
        name="mnli",
        title="MultiNLI 1.0 (Williams et al. 2018); *_hard: the robust-nli hard subsets of dev",
        licence="OANC; CC BY-SA 3.0 (fiction)",
        splits={
            "train": Split(
                files=("multinli_1.0/multinli_1.0_train.jsonl",), artefacts=("multinli_1.0.zip",)
            ),
            "dev_matched": Split(
                files=("multinli_1.0/multinli_1.0_dev_matched.jsonl",),
                alternatives=("multinli/mnli_dev_matched_stripped.jsonl",),
                artefacts=("multinli_1.0.zip",),
            ),
            "dev_mismatched": Split(
                files=("multinli_1.0/multinli_1.0_dev_mismatched.jsonl",),
                artefacts=("multinli_1.0.zip",),
            ),
            **{
                split: Split(
                    files=(f"mnli_hard/{folder}/s1.test",),
                    artefacts=tuple(
                        f"mnli_hard-{folder}-{name}"
                        for name in ("s1.test", "s2.test", "labels.test")
                    ),
                    format="parallel",
                    slices=(),  # tokenised pairs with no genre
                )
                for split, folder in _MNLI_HARD.items()
            },
        },
        slices=("genre",),
        how_to_get=(
            "run `nli-probe data download mnli` (the official multinli_1.0.zip, about 227 MB), "
            "or unpack multinli_1.0.zip into the data folder, or pass the file's path"
        ),
        artefacts=(
            Artefact(
                name="multinli_1.0.zip",
                url="https://cims.nyu.edu/~sbowman/multinli/multinli_1.0.zip",
                unpack=_members("multinli_1.0", "multinli_1.0"),
                requires="multinli_1.0/multinli_1.0_dev_matched.jsonl",
            ),
            *(
                Artefact(
                    name=f"mnli_hard-{folder}-{name}",
                    url=(
                        "https://raw.githubusercontent.com/m43/focal-loss-against-heuristics/"
                        f"{_ROBUST_NLI_MIRROR}/data/raw/{folder}/{name}"
                    ),
                    checksum=Checksum(
                        algorithm=SHA256,
                        value=digest,
                        provenance=(
                            "computed from the files of the MIT-licensed mirror this URL serves "
                            "(robust-nli's own Dropbox zips publish no checksum)"
                        ),
                    ),
                    target=f"mnli_hard/{folder}/{name}",
                )
                for (folder, name), digest in _MNLI_HARD_SHA256.items()
            ),
        ),
        download_size="227 MB zip; hard 2 MB",
        note=(
            "dev_matched_hard / dev_mismatched_hard are the hard subsets of MultiNLI dev shipped "
            "with robust-nli (Mahabadi et al. 2020; tokenised text, no genre), fetched from a "
            "third-party mirror: not Gururangan et al.'s hard subsets of the unlabelled test sets"
        ),
    ),
    "hans": Family(
        name="hans",
        title="HANS (McCoy, Pavlick & Linzen 2019)",
        licence="MIT",
        splits={
            "evaluation": Split(
                files=("hans/heuristics_evaluation_set.txt",),
                artefacts=("heuristics_evaluation_set.txt",),
            ),
            "train": Split(
                files=("hans/heuristics_train_set.txt",), artefacts=("heuristics_train_set.txt",)
            ),
        },
        format="hans",
        label_scheme=TWO_WAY,
        slices=("heuristic", "heuristic,gold", "subcase"),
        how_to_get=(
            "run `nli-probe data download hans`, or place heuristics_evaluation_set.txt / "
            "heuristics_train_set.txt (https://github.com/tommccoy1/hans) in hans/ in the data "
            "folder, or pass the file's path"
        ),
        artefacts=tuple(
            Artefact(
                name=f"heuristics_{split}_set.txt",
                url=(
                    f"https://raw.githubusercontent.com/tommccoy1/hans/{_HANS_COMMIT}/"
                    f"heuristics_{split}_set.txt"
                ),
                checksum=Checksum(algorithm=GIT_BLOB_SHA1, value=blob, provenance=_AUTHORS_TREE),
                target=f"hans/heuristics_{split}_set.txt",
            )
            for split, blob in (
                ("evaluation", "e042af242b19708d9c0256c713e873415c0b58a1"),
                ("train", "d7742467d217a174d2c342596b72d3120701f38a"),
            )
        ),
        download_size="15 MB a split",
    ),
    "anli": Family(
        name="anli",
        title="Adversarial NLI v1.0 (Nie et al. 2020)",
        licence="CC BY-NC 4.0",
        splits=_anli_splits(),
        format="anli",
        slices=("round",),
        how_to_get=(
            "run `nli-probe data download anli` (anli_v1.0.zip from dl.fbaipublicfiles.com), "
            "or unpack anli_v1.0.zip into the data folder, or pass a file's path"
        ),
        artefacts=(
            Artefact(
                name="anli_v1.0.zip",
                url="https://dl.fbaipublicfiles.com/anli/anli_v1.0.zip",
                unpack=_members("anli_v1.0", "anli_v1.0"),
                requires="anli_v1.0/R1/dev.jsonl",
            ),
        ),
        download_size="19 MB zip",
        note="non-commercial licence",
    ),
    "breaking_nli": Family(
        name="breaking_nli",
        title="Breaking NLI (Glockner, Shwartz & Goldberg 2018)",
        licence="CC BY-SA 4.0",
        splits={"test": Split(files=("breaking_nli/dataset.jsonl",))},
        default_split="test",
        format="snli",
        slices=("category",),
        how_to_get=(
            "run `nli-probe data download breaking_nli`, or unpack data/dataset.jsonl of "
            "breaking_nli_dataset.zip (https://github.com/BIU-NLP/Breaking_NLI) as "
            "breaking_nli/dataset.jsonl in the data folder, or pass the file's path"
        ),
        artefacts=(
            Artefact(
                name="breaking_nli_dataset.zip",
                url=(
                    "https://raw.githubusercontent.com/BIU-NLP/Breaking_NLI/"
                    f"{_BREAKING_COMMIT}/breaking_nli_dataset.zip"
                ),
                checksum=Checksum(
                    algorithm=SHA256,
                    value="b209e8d4ab15bcd8a5fc76be1c70452e4e253a92eaccb1c66c0b1b973e445371",
                    provenance=_AUTHORS_COPY,
                ),
                unpack=_members("data", "breaking_nli", suffix=(".jsonl", ".txt")),
                requires="breaking_nli/dataset.jsonl",
            ),
        ),
        download_size="0.2 MB zip",
    ),
    "stress": Family(
        name="stress",
        title="NLI stress tests (Naik et al. 2018)",
        licence="not stated",
        splits={split: Split(files=files) for split, files in _STRESS_SPLITS.items()},
        format="stress",
        slices=("category",),
        how_to_get=(
            "download the stress tests' zip from "
            "https://abhilasharavichander.github.io/NLI_StressTest/ (Google Drive) and run "
            "`nli-probe data download stress --from PATH/TO/THE.zip`, or pass a file's path"
        ),
        artefacts=(
            Artefact(
                name="stress_tests.zip",
                url=(
                    "https://drive.google.com/uc?export=download&id="
                    "1faGA5pHdu5Co8rFhnXn-6jbBYC2R1dhw"
                ),
                unpack=_stress_members,
                requires="stress_tests/multinli_0.9_antonym_matched.jsonl",
                web_page_risk=True,
            ),
        ),
        download_size="zip (Drive)",
    ),
    "cad_snli": Family(
        name="cad_snli",
        title="Counterfactually revised SNLI (Kaushik, Hovy & Lipton 2020)",
        licence="Apache 2.0; SNLI text CC BY-SA 4.0",
        splits={
            split: Split(
                files=tuple(f"cad_snli/{revision}/{split}.tsv" for revision in CAD_REVISIONS),
                artefacts=tuple(f"cad_snli-{revision}-{split}.tsv" for revision in CAD_REVISIONS),
            )
            for split in ("train", "dev", "test")
        },
        format="cad",
        slices=("revision",),
        how_to_get=(
            "run `nli-probe data download cad_snli`, or place NLI/{original,revised_premise,"
            "revised_hypothesis}/*.tsv (https://github.com/acmi-lab/"
            "counterfactually-augmented-data) in cad_snli/ in the data folder"
        ),
        artefacts=tuple(
            Artefact(
                name=f"cad_snli-{revision}-{split}.tsv",
                url=(
                    "https://raw.githubusercontent.com/acmi-lab/counterfactually-augmented-data/"
                    f"{_CAD_COMMIT}/NLI/{revision}/{split}.tsv"
                ),
                checksum=Checksum(algorithm=SHA256, value=digest, provenance=_AUTHORS_COPY),
                target=f"cad_snli/{revision}/{split}.tsv",
            )
            for (revision, split), digest in _CAD_SHA256.items()
        ),
        download_size="1.3 MB",
    ),
    "chaosnli": Family(
        name="chaosnli",
        title="ChaosNLI v1.0 (Nie, Zhou & Bansal 2020)",
        licence="CC BY-NC 4.0",
        splits={
            "snli": Split(files=("chaosnli_v1.0/chaosNLI_snli.jsonl",)),
            "mnli": Split(files=("chaosnli_v1.0/chaosNLI_mnli_m.jsonl",)),
        },
        format="chaosnli",
        how_to_get=(
            "unpack ChaosNLI v1.0 (https://github.com/easonnie/ChaosNLI, chaosNLI_v1.0.zip; "
            "CC BY-NC 4.0) into the data folder as chaosnli_v1.0/, or pass the file's path"
        ),
    ),
    "snli_swap": Family(
        name="snli_swap",
        title="SNLI dev contradictions, premise and hypothesis swapped (Minervini & Riedel 2018)",
        licence="not stated (SNLI: CC BY-SA 4.0)",
        splits={
            "contradictions": Split(
                files=("snli_contradiction_swap/snli_1.0_contradictions_dev.jsonl",)
            ),
            "contradictions_inverse": Split(
                files=("snli_contradiction_swap/snli_1.0_contradictions_inverse_dev.jsonl",)
            ),
        },
        format="snli",
        how_to_get=(
            "place Minervini & Riedel's snli_1.0_contradictions{,_inverse}_dev.jsonl in "
            "snli_contradiction_swap/ in the data folder, or pass the file's path"
        ),
    ),
}
"""Every named data set family, by name."""


def family(name: str, *, spec: str = "") -> Family:
    """The family called `name`; an unknown one raises with a did-you-mean."""
    found = CATALOG.get(name)
    if found is None:
        names = ", ".join(
            f"{f.name}:SPLIT" if not f.default_split else f"{f.name}[:SPLIT]"
            for f in CATALOG.values()
        )
        raise NLIProbeError(
            f"unknown data set {name!r}{did_you_mean(name, CATALOG)}"
            f"{f' in {spec!r}' if spec and spec != name else ''} (names: {names}, "
            "hf:NAME[:SPLIT]; or give a "
            "file path)"
        )
    return found


def all_names() -> list[str]:
    """Every `family:split` name, catalog order."""
    return [f"{f.name}:{split}" for f in CATALOG.values() for split in f.splits]
