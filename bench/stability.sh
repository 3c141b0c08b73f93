#!/bin/sh
# Same data, a few rows changed: how far the automatic sizes move when 5
# random rows are left out (what next month's export with a handful of
# new or deleted answers does). For each corpus, tx-themes with its
# defaults and one seed on the whole file and on PERTURB copies each
# missing 5 rows (a different draw each); prints the themes and
# sub-themes found, and the mean |log2(k / k on the whole file)| over the
# copies (0: never moves; 0.32: one step of the 1.25 grid each time).
# Corpora: the TEST halves of bench/prepare_feedback.py, the long
# documents of bench/long_docs.sh and 200,000 rows of the speed corpus.
# usage: bench/stability.sh BUILD PYTHON   (env: PERTURB, default 5)
B=${1:-build}; PY=${2:-/usr/bin/python3}
PERTURB=${PERTURB:-5}; SHARED=${TX_SHARED:-../shared}
D=$B/bench/stability; mkdir -p "$D"
FB=$B/bench/feedback; LD=$B/bench/long
"$PY" bench/prepare_feedback.py "$SHARED/corpora" "$FB" > /dev/null || exit 1
"$PY" bench/prepare.py "$SHARED/corpora" "$LD/src" > /dev/null || exit 1
[ -f "$LD/long_docs.csv" ] || "$PY" bench/make_long_docs.py "$LD/src" "$LD/long_docs.csv" || exit 1
C2=$B/bench/corpus_200000.csv
[ -f "$C2" ] || "$PY" "$SHARED/bench/make_corpus.py" 200000 "$C2" || exit 1
R=$D/results.txt; : > "$R"
for spec in hwu64:$FB/hwu64.test.csv bitext:$FB/bitext.test.csv \
            review_issues:$FB/review_issues.test.csv \
            twitter_airline:$FB/twitter_airline.test.csv \
            semeval14:$FB/semeval14.multi.test.csv mams:$FB/mams.multi.test.csv \
            long_docs:$LD/long_docs.csv corpus_200k:$C2; do
    name=${spec%%:*}; F=${spec#*:}
    p=0
    while [ $p -le "$PERTURB" ]; do
        P=$D/$name-$p.csv
        # copy p leaves out 5 rows drawn with seed p (copy 0: the file)
        "$PY" - "$F" "$P" "$p" <<'PYEOF' || exit 1
import csv, random, sys
csv.field_size_limit(1 << 30)
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
head, rows = rows[0], rows[1:]
p = int(sys.argv[3])
if p:
    random.seed(p)
    drop = set(random.sample(range(len(rows)), 5))
    rows = [r for i, r in enumerate(rows) if i not in drop]
w = csv.writer(open(sys.argv[2], "w", encoding="utf-8", newline=""))
w.writerow(head)
w.writerows(rows)
PYEOF
        "$B/tx-themes" -q --seed 1 --threads 2 "$P" --out "$D/out" || exit 1
        "$PY" -c "import json,sys; j=json.load(open(sys.argv[1])); print(sys.argv[2], j['k'], sum(len(t['subthemes']) for t in j['themes']))" \
            "$D/out/themes.json" "$name" >> "$R"
        rm -f "$P"
        p=$((p + 1))
    done
done
"$PY" - "$R" <<'PYEOF'
import math, sys
from collections import defaultdict
runs = defaultdict(list)
for line in open(sys.argv[1]):
    name, k, s = line.split()
    runs[name].append((int(k), int(s)))
def drift(v):
    return sum(abs(math.log2(x / v[0])) for x in v[1:]) / max(len(v) - 1, 1)
print("| corpus | themes: whole file, then 5 rows fewer | drift | sub-themes: whole file, then 5 rows fewer | drift |")
print("|---|---|---:|---|---:|")
tk = ts = 0.0
for name, v in runs.items():
    k = [a for a, _ in v]; s = [b for _, b in v]
    tk += drift(k); ts += drift(s)
    print(f"| {name} | {k[0]}; {' '.join(map(str, k[1:]))} | {drift(k):.2f} | {s[0]}; {' '.join(map(str, s[1:]))} | {drift(s):.2f} |")
print(f"| mean | | {tk / len(runs):.2f} | | {ts / len(runs):.2f} |")
PYEOF
