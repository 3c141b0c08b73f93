#!/bin/sh
# Which training sources help the cause detector on real customer text:
# each mix of sources (CNC V2 train always; the real dev split's other
# half, ExplainIt, SemEval-2010 task 8, FinCausal, each with a weight =
# how many times it is given) is trained twice, once on each half of the
# real dev split, and scored on the half it did not see; the two halves'
# counts are summed. The test split is not read.
# usage: bench/causes_sources.sh BUILD PYTHON
B=${1:-build}; PY=${2:-/usr/bin/python3}
SHARED=${TX_SHARED:-../shared}; CNC=$SHARED/corpora/causal_news_corpus/V2
D=$B/bench/causes_sources; mkdir -p "$D"
SEEDS=${SEEDS:-2}
"$PY" bench/causes_sources.py "$SHARED" "$D/src" || exit 1
LABELS=corpora/causes/real/labels.csv

# A mix: real=N explainit=N semeval8=N fincausal=N
train() { # $1 mix, $2 half held out (a|b), $3 model
    held=$2; other=$([ "$held" = a ] && echo b || echo a)
    set -- "$1" "$3"
    args="--sentences $CNC/train_subtask1.csv --spans $CNC/train_subtask2.csv"
    for kv in $1; do
        k=${kv%=*}; n=${kv#*=}; i=0
        while [ $i -lt "$n" ]; do
            case $k in
            real) args="$args --sentences $D/src/real_dev_$other.csv --spans $D/src/real_dev_${other}_spans.csv" ;;
            *) args="$args --sentences $D/src/$k.csv" ;;
            esac
            i=$((i + 1))
        done
    done
    # shellcheck disable=SC2086
    "$B/tx-train-causes" --seed 1 --seeds "$SEEDS" $args -o "$2" 2> /dev/null
}

score() { # $1 mix, $2 mode (rules|learned)
    o=""; [ "$2" = learned ] && o="--no-rules"
    for h in a b; do
        "$B/tx-causes" --model "$D/m_$h.h5" -q $o --whole --no-themes "$D/src/real_dev_${h}_eval.csv" --out "$D/o_$h" || exit 1
    done
    "$PY" - "$D" "$LABELS" "$SHARED" <<'PY'
import csv, sys
d, labels, shared = sys.argv[1:4]
gold = {r["key"]: int(r["causal"]) for r in csv.DictReader(open(labels))}
tp = fp = fn = 0
for h in "ab":
    for r in csv.DictReader(open("%s/o_%s/sentences.csv" % (d, h))):
        y, p = gold[r["id"]], int(r["causal"])
        tp += y and p; fp += p and not y; fn += y and not p
pr = tp / (tp + fp) if tp + fp else 0; rc = tp / (tp + fn) if tp + fn else 0
print("P %.3f R %.3f F1 %.3f" % (pr, rc, 2 * pr * rc / (pr + rc) if pr + rc else 0))
PY
}

for mix in "" "real=1" "real=3" "explainit=1" "semeval8=1" "fincausal=1" \
           "real=1 explainit=1" "real=3 explainit=1" "real=1 semeval8=1" \
           "real=3 explainit=1 semeval8=1"; do
    train "$mix" a "$D/m_a.h5" && train "$mix" b "$D/m_b.h5" || exit 1
    printf '%-34s default: %s   --no-rules: %s\n' "CNC ${mix:++ $mix}" \
        "$(score "$mix" rules)" "$(score "$mix" learned)"
done
