#!/bin/sh
# Span F1 (CNC subtask 2) by 5-fold cross-validation on CNC V2 train, so
# that choices for the span taggers can be made without looking at dev:
# each fold's sentences are held out of both training files, a model is
# trained on the rest, and the held-out sentences with relations are
# scored as bench/causes_eval.py scores dev. Folds follow a hash of the
# news article, so no article has sentences on both sides (split by
# sentence, sibling sentences share names and phrasing, which flatters
# features that memorize words). Prints each fold's overall F1 and the means per kind.
# usage: bench/causes_cv.sh BUILD PYTHON [tx-train-causes options...]
#        (SEEDS=2 by default, to be quick; the shipped model uses 5)
B=${1:-build}; PY=${2:-/usr/bin/python3}; shift 2 2>/dev/null
SHARED=${TX_SHARED:-../shared}; CNC=$SHARED/corpora/causal_news_corpus/V2
D=$B/bench/causes_cv; mkdir -p "$D"
"$PY" - "$CNC" "$D" <<'PY' || exit 1
import csv, hashlib, os, sys
cnc, out = sys.argv[1:3]
def read(p):
    with open(p, encoding="utf-8-sig", newline="") as f:
        r = csv.DictReader(f)
        return r.fieldnames, list(r)
def fold(row):
    # by news article, so that no article has sentences on both sides
    doc = row.get("doc_id") or row["index"].rsplit("_", 1)[0]
    return int(hashlib.md5(doc.encode()).hexdigest(), 16) % 5
files = [("train_s1.csv", "train_subtask1.csv", False),
         ("train_s2.csv", "train_subtask2.csv", False),
         ("dev_subtask2_grouped.csv", "train_subtask2_grouped.csv", True)]
for k in range(5):
    d = "%s/f%d" % (out, k)
    os.makedirs(d, exist_ok=True)
    for name, src, held in files:
        fields, rows = read(cnc + "/" + src)
        with open(d + "/" + name, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=fields)
            w.writeheader()
            w.writerows(r for r in rows if (fold(r) == k) == held)
PY
one() {
    k=$1; shift; d=$D/f$k
    "$B/tx-train-causes" --seeds "${SEEDS:-2}" --sentences "$d/train_s1.csv" --spans "$d/train_s2.csv" -o "$d/model.h5" "$@" > /dev/null 2>&1 &&
    "$B/tx-causes" --model "$d/model.h5" -q --no-rules --whole --no-themes --cue-spans --relations 3 --id-col index --threshold 0 "$d/dev_subtask2_grouped.csv" --out "$d/out" > /dev/null 2>&1 &&
    "$PY" -c "
import sys; sys.path.insert(0, 'bench'); import causes_eval as c
r = c.subtask2('$d', '$d/out/spans.csv')
print('$k %.4f %.4f %.4f %.4f' % (r['C'][2], r['E'][2], r['S'][2], r['overall'][2]))" || echo "$k failed"
}
( one 0 "$@"; one 2 "$@"; one 4 "$@" ) > "$D/a.txt" &
( one 1 "$@"; one 3 "$@" ) > "$D/b.txt" &
wait
sort "$D/a.txt" "$D/b.txt" | awk '
    $2 == "failed" { bad = 1 }
    { c += $2; e += $3; s += $4; o += $5; n++; printf "fold %s overall F1 %s\n", $1, $5 }
    END { if (bad || n != 5) { print "a fold failed"; exit 1 }
          printf "5-fold CV on CNC V2 train, span F1: cause %.4f effect %.4f signal %.4f overall %.4f\n", c/n, e/n, s/n, o/n }'
