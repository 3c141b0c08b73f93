#!/bin/sh
# Cause detection benchmark: the shipped model (models/causes.h5) on the
# Causal News Corpus V2 dev set (subtask 1: causal sentence F1; subtask 2:
# cause/effect/signal span F1 as the shared task defines it), on the
# project's marked feedback (corpora/causes), and detection speed on one
# core; scikit-learn's TF-IDF 1-3-gram logistic regression in the same run.
# usage: bench/causes.sh BUILD PYTHON
B=${1:-build}; PY=${2:-/usr/bin/python3}
SHARED=${TX_SHARED:-../shared}; CNC=$SHARED/corpora/causal_news_corpus/V2
D=$B/bench/causes; mkdir -p "$D"
RUNS=${RUNS:-3}
M="--model models/causes.h5 -q"
for mode in learned rules; do
    o=""; [ $mode = learned ] && o="--no-rules"
    "$B/tx-causes" $M $o --whole --no-themes --id-col index "$CNC/dev_subtask1.csv" --out "$D/s1_$mode" &&
    "$B/tx-causes" $M $o --whole --no-themes --cue-spans --relations 3 --id-col index --threshold 0 "$CNC/dev_subtask2_grouped.csv" --out "$D/s2_$mode" || exit 1
    echo "== CNC V2 dev, $mode ($([ $mode = learned ] && echo "--no-rules: the trained models alone" || echo "default: with the customer-text cue rules"))"
    "$PY" bench/causes_eval.py "$CNC" "$D/s1_$mode/sentences.csv" "$D/s2_$mode/spans.csv"
done
echo "   (subtask 2 scores only the sentences with gold relations, as the shared task does; --threshold 0 tags each of them)"
for set in marked dev heldout; do
    "$PY" bench/causes_domain.py plain corpora/causes/$set.csv "$D/$set.csv"
    for mode in learned rules; do
        o=""; [ $mode = learned ] && o="--no-rules"
        "$B/tx-causes" $M $o --no-themes "$D/$set.csv" --out "$D/fb_${set}_$mode" || exit 1
        echo "== corpora/causes/$set.csv (feedback written for the project; $(case $set in marked) echo 'written while the rules were built';; dev) echo 'used to improve the rules once';; heldout) echo 'held out: written after the last rule change';; esac)), $mode"
        "$PY" bench/causes_domain.py score corpora/causes/$set.csv "$D/fb_${set}_$mode/spans.csv" "$D/fb_${set}_$mode/sentences.csv" | grep -v '^wrong'
    done
done
# Speed: 100,000 CNC sentences, one thread, detection only.
"$PY" - "$CNC/train_subtask1.csv" "$D/speed.csv" <<'PY'
import csv, sys
rows = [r["text"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"))]
w = csv.writer(open(sys.argv[2], "w", newline=""))
w.writerow(["id", "text"])
for i in range(100000):
    w.writerow([i, rows[i % len(rows)]])
PY
echo "== speed: 100,000 sentences, 1 thread, median of $RUNS runs"
for i in $(seq $RUNS); do
    /usr/bin/time -f "%e" "$B/tx-causes" $M --whole --no-themes --threads 1 "$D/speed.csv" --out "$D/speed" 2>&1 | tail -1
done | sort -n | awk '{ t[NR] = $1 } END { m = t[int((NR + 1) / 2)]; printf "libtext sentences/s %.0f (%.2f s, reading and writing included)\n", 100000 / m, m }' | tee "$D/speed.txt"
echo "== scikit-learn anchor (TF-IDF 1-3-grams + LogisticRegression C=10, trained on CNC V2 train)"
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 "$PY" bench/causes_eval.py --anchor "$CNC" "$D/speed.csv" corpora/causes/marked.csv corpora/causes/dev.csv corpora/causes/heldout.csv | tee "$D/sklearn.txt"
"$PY" -c "
import sys
l = float(open('$D/speed.txt').read().split()[2])
s = [float(x.split()[-1]) for x in open('$D/sklearn.txt') if 'sentences/s' in x][0]
print('speed ratio libtext / scikit-learn: %.1fx' % (l / s))"
