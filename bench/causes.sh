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
# Real customer text (corpora/causes/real): the test split, never tuned
# on, and the dev split the rules and the model's mix were revised on.
for split in test dev; do
    "$PY" bench/causes_real.py text "$SHARED" corpora/causes/real/labels.csv $split "$D/real_$split.csv" || exit 1
    for mode in rules learned; do
        o=""; [ $mode = learned ] && o="--no-rules"
        "$B/tx-causes" $M $o --whole --no-themes "$D/real_$split.csv" --out "$D/real_${split}_$mode" || exit 1
        echo "== real customer sentences, $split split ($([ $split = test ] && echo 'never tuned on' || echo 'the rules and the training mix were revised on it')), $([ $mode = learned ] && echo '--no-rules' || echo default)"
        "$PY" bench/causes_real.py score "$SHARED" corpora/causes/real/labels.csv $split "$D/real_${split}_$mode/sentences.csv" "$D/real_${split}_$mode/spans.csv"
    done
done
echo "== real customer sentences, test split: scikit-learn's TF-IDF 1-3-gram logistic regression (C=10) and a cue-word list"
"$PY" bench/causes_real.py baselines "$SHARED" corpora/causes/real/labels.csv "$CNC"
# Complaints: X-CI tweets in five folds; libtext's complaint classifier
# (a symptom span marks a complaint) and scikit-learn's n-gram logistic
# regression trained on the same four fifths each time.
"$PY" bench/causes_sources.py "$SHARED" "$D/src" || exit 1
for k in 0 1 2 3 4; do
    "$B/tx-train-causes" --seed 1 --seeds 1 --sentences "$CNC/train_subtask1.csv" \
        --spans "$CNC/train_subtask2.csv" --complaints "$D/src/xci_fold${k}_train.csv" \
        -o "$D/xci_$k.h5" 2> /dev/null &&
    "$B/tx-causes" --model "$D/xci_$k.h5" -q --whole --no-themes "$D/src/xci_fold${k}_eval.csv" --out "$D/xci_$k" || exit 1
done
echo "== complaints on X-CI (complaint tweets and others), five folds"
"$PY" - "$D" <<'PY'
import csv, hashlib, sys
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
d = sys.argv[1]
gold = {r["id"]: int(r["label"]) for r in csv.DictReader(open(d + "/src/xci_gold.csv"))}
def f1(pairs):
    tp = sum(1 for y, p in pairs if y and p); fp = sum(1 for y, p in pairs if p and not y)
    fn = sum(1 for y, p in pairs if y and not p)
    pr = tp / (tp + fp) if tp + fp else 0; rc = tp / (tp + fn) if tp + fn else 0
    return pr, rc, 2 * pr * rc / (pr + rc) if pr + rc else 0
ours, sk = [], {1: [], 10: []}
for k in range(5):
    sym = {r["id"] for r in csv.DictReader(open("%s/xci_%d/spans.csv" % (d, k))) if r["kind"] == "symptom"}
    ev = list(csv.DictReader(open("%s/src/xci_fold%d_eval.csv" % (d, k))))
    ours += [(gold[r["id"]], r["id"] in sym) for r in ev]
    tr = list(csv.DictReader(open("%s/src/xci_fold%d_train.csv" % (d, k))))
    v = TfidfVectorizer(ngram_range=(1, 3), sublinear_tf=True)
    x = v.fit_transform([r["text"] for r in tr])
    for c in sk:
        m = LogisticRegression(C=c, max_iter=2000).fit(x, [int(r["label"]) for r in tr])
        sk[c] += [(gold[r["id"]], p) for r, p in zip(ev, m.predict(v.transform([r["text"] for r in ev])))]
print("libtext complaint classifier: precision %.3f recall %.3f F1 %.3f" % f1(ours))
for c in sk:
    print("scikit-learn LR C=%d: precision %.3f recall %.3f F1 %.3f" % ((c,) + f1(sk[c])))
PY
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
