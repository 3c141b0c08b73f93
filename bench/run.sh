#!/bin/sh
# Vectorize benchmark: libtext (read + tokenize + count + TF-IDF) against
# scikit-learn's TfidfVectorizer on the same 1,000,000-row corpus, in the
# same run, RUNS times each; prints medians, the ratio, docs/s, MB/s and
# peak memory. usage: bench/run.sh BUILD PYTHON   (env: ROWS, RUNS)
B=${1:-build}; PY=${2:-/usr/bin/python3}
ROWS=${ROWS:-1000000}; RUNS=${RUNS:-3}
SHARED=${TX_SHARED:-../shared}
F=$B/bench/corpus_$ROWS.csv
mkdir -p "$B/bench"
[ -f "$F" ] || "$PY" "$SHARED/bench/make_corpus.py" "$ROWS" "$F" || exit 1
cc -O2 -Ilibtext/include bench/bench_vectorize.c "$B/libtext.a" \
   $(pkg-config --libs openblas hdf5 libutf8proc jansson icu-uc libxml-2.0) -lstemmer -lcsv -lm -pthread \
   -o "$B/bench/bench_vectorize" || exit 1
# the floor: the least work the task needs (bench/floor_vectorize.c), to
# show how much of the gap to the target the hardware leaves
cc -O2 bench/floor_vectorize.c -lcsv -lm -pthread -o "$B/bench/floor_vectorize" || exit 1
"$PY" -c "from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as S; print(chr(10).join(sorted(S)))" \
    > "$B/bench/stop_words.txt" || exit 1
MB=$(stat -c %s "$F")
echo "corpus: $F ($ROWS rows, $((MB / 1000000)) MB); $RUNS runs each, medians"
: > "$B/bench/tx1.txt"; : > "$B/bench/tx2.txt"; : > "$B/bench/sk.txt"; : > "$B/bench/floor.txt"; : > "$B/bench/floor_csv.txt"
i=0
while [ $i -lt "$RUNS" ]; do
    "$B/bench/bench_vectorize" "$F" 1 | tail -1 >> "$B/bench/tx1.txt"
    "$B/bench/bench_vectorize" "$F" 2 | tail -1 >> "$B/bench/tx2.txt"
    "$PY" bench/sk_tfidf.py "$F" >> "$B/bench/sk.txt"
    "$B/bench/floor_vectorize" "$F" "$B/bench/stop_words.txt" 2 >> "$B/bench/floor.txt"
    "$B/bench/floor_vectorize" "$F" "$B/bench/stop_words.txt" 2 libcsv >> "$B/bench/floor_csv.txt"
    i=$((i + 1))
done
"$B/bench/bench_vectorize" "$F" 2 | head -1
head -1 "$B/bench/sk.txt" | sed 's/.*peak_mb [0-9]* /scikit-learn: /'
"$PY" - "$B/bench" "$ROWS" "$MB" <<'PYEOF'
import statistics, sys
d, rows, mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) / 1e6
def load(name):
    runs = []
    for line in open(f"{d}/{name}"):
        w = line.split()
        runs.append({w[i]: float(w[i + 1]) for i in range(0, len(w) - 1, 2)
                     if w[i] in ("read", "fit", "tfidf", "total", "peak_mb")})
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}
sk, t1, t2 = load("sk.txt"), load("tx1.txt"), load("tx2.txt")
fl, flc = load("floor.txt"), load("floor_csv.txt")
print(f"{'':28}{'read':>8}{'fit':>8}{'total':>8}{'docs/s':>12}{'MB/s':>8}{'peak MB':>9}")
for name, r in (("scikit-learn", sk), ("libtext --threads 1", t1), ("libtext --threads 2", t2)):
    print(f"{name:28}{r['read']:8.2f}{r['fit'] + r.get('tfidf', 0):8.2f}{r['total']:8.2f}"
          f"{rows / r['total']:12.0f}{mb / r['total']:8.1f}{r['peak_mb']:9.0f}")
print(f"speed-up, end to end (read + vectorize): 1 thread {sk['total'] / t1['total']:.1f}x, "
      f"2 threads {sk['total'] / t2['total']:.1f}x (target 10x)")
print(f"speed-up, vectorize only (text in memory): 2 threads "
      f"{sk['fit'] / (t2['fit'] + t2['tfidf']):.1f}x")
print(f"peak memory: libtext {t2['peak_mb']:.0f} MB vs scikit-learn {sk['peak_mb']:.0f} MB")
print(f"floor (bench/floor_vectorize.c: ASCII words, no normalization, own CSV scanner), 2 threads: "
      f"{fl['total']:.2f} s, {sk['total'] / fl['total']:.1f}x scikit-learn; libtext takes "
      f"{t2['total'] / fl['total']:.1f}x the floor")
print(f"the same floor reading the rows through libcsv, as libtext does: {flc['total']:.2f} s, "
      f"{sk['total'] / flc['total']:.1f}x scikit-learn")
PYEOF
