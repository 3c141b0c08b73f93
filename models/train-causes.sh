#!/bin/sh
# Builds models/causes.h5: the Causal News Corpus V2 training sets and the
# real customer sentences of the dev split of corpora/causes/real (their
# text read from ../shared/corpora) train the cause detector; the X-CI
# complaint tweets (less those in the real-text test split) train the
# complaint classifier. The mix was chosen with
# bench/causes_sources.sh (see bench/README.md). `make models` and
# tests/causes.sh both run this, so the shipped file is what it builds.
# usage: models/train-causes.sh BUILD PYTHON OUT.h5
B=${1:-build}; PY=${2:-/usr/bin/python3}; OUT=${3:-models/causes.h5}
SHARED=${TX_SHARED:-../shared}; CNC=$SHARED/corpora/causal_news_corpus/V2
S=$(mktemp -d) || exit 1
trap 'rm -rf "$S"' EXIT
"$PY" bench/causes_sources.py "$SHARED" "$S" || exit 1
"$B/tx-train-causes" --seed 1 \
    --sentences "$CNC/train_subtask1.csv" --sentences "$S/real_dev.csv" \
    --spans "$CNC/train_subtask2.csv" --spans "$S/real_dev_spans.csv" \
    --complaints "$S/complaints.csv" -o "$OUT"
