#!/bin/sh
# Long documents: 20,000 rows of 15 real snippets each (about 270 words a
# row, 30 MB; review- or transcript-length text, where the short-text
# corpora have 10-20 words), built from ../shared's SearchSnippets and
# Banking77. tx-themes end to end (k=20, 2 threads; median of RUNS, peak
# memory) against scikit-learn's TfidfVectorizer + TruncatedSVD(100) +
# KMeans(20) on the same file in the same run.
# usage: bench/long_docs.sh BUILD PYTHON   (env: RUNS, default 3)
B=${1:-build}; PY=${2:-/usr/bin/python3}
RUNS=${RUNS:-3}; SHARED=${TX_SHARED:-../shared}
D=$B/bench/long; F=$D/long_docs.csv; mkdir -p "$D"
"$PY" bench/prepare.py "$SHARED/corpora" "$D/src" || exit 1
[ -f "$F" ] || "$PY" bench/make_long_docs.py "$D/src" "$F" || exit 1
echo "corpus: $F ($(($(stat -c %s "$F") / 1000000)) MB, 20,000 rows); $RUNS runs each"
: > "$D/tx.txt"; : > "$D/sk.txt"
i=0
while [ $i -lt "$RUNS" ]; do
    /usr/bin/time -f "total %e peak_kb %M" "$B/tx-themes" -q -v -k 20 --threads 2 \
        "$F" --out "$D/out" 2>&1 | grep -E 'word vectors|^total' | tr '\n' ' ' >> "$D/tx.txt"
    echo >> "$D/tx.txt"
    /usr/bin/time -f "total %e peak_kb %M" "$PY" - "$F" <<'PYEOF' 2>&1 | grep '^total' >> "$D/sk.txt"
import csv, sys
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import normalize
from sklearn.cluster import KMeans
texts = [r["text"] for r in csv.DictReader(open(sys.argv[1]))]
x = TfidfVectorizer(sublinear_tf=True, min_df=2, stop_words="english").fit_transform(texts)
z = normalize(TruncatedSVD(100, random_state=1).fit_transform(x))
KMeans(20, n_init=3, random_state=1).fit(z)
PYEOF
    i=$((i + 1))
done
"$PY" - "$D/tx.txt" "$D/sk.txt" <<'PYEOF'
import re, statistics, sys
def load(path):
    rows = [l for l in open(path) if "total" in l]
    med = lambda key: statistics.median(float(re.search(key + r"[: ]+([0-9.]+)", l).group(1)) for l in rows)
    return med, rows
tx, _ = load(sys.argv[1]); sk, _ = load(sys.argv[2])
print(f"tx-themes -k 20: {tx('total'):.2f} s (word vectors {tx('word vectors'):.2f} s), peak {tx('peak_kb') / 1024:.0f} MB")
print(f"scikit-learn tfidf + svd100 + kmeans(20): {sk('total'):.2f} s, peak {sk('peak_kb') / 1024:.0f} MB")
print(f"ratio: {sk('total') / tx('total'):.1f}x")
PYEOF
