#!/bin/sh
# Themes speed benchmark on the 1,000,000-row corpus: tx-themes end to end
# (k=50), and each step against its peer on the same data in the same run:
# the SVD against scikit-learn's TruncatedSVD(100), k-means (k=50, 20
# iterations, one init) on the same 1,000,000 x 100 matrix against
# scikit-learn KMeans and FAISS; and 200,000 rows end to end against
# scikit-learn's whole pipeline. usage: bench/speed.sh BUILD PYTHON
B=${1:-build}; PY=${2:-/usr/bin/python3}
ROWS=${ROWS:-1000000}; SHARED=${TX_SHARED:-../shared}
F=$B/bench/corpus_$ROWS.csv; D=$B/bench/speed; mkdir -p "$D"
[ -f "$F" ] || "$PY" "$SHARED/bench/make_corpus.py" "$ROWS" "$F" || exit 1
cc -O2 -Ilibtext/include bench/bench_themes.c "$B/libtext.a" \
   $(pkg-config --libs openblas hdf5 libutf8proc jansson icu-uc libxml-2.0) -lstemmer -lcsv -lm -pthread \
   -o "$B/bench/bench_themes" || exit 1
echo "== tx-themes end to end, k=50, 2 threads"
/usr/bin/time -f "tx-themes total %e s, peak %M KB" "$B/tx-themes" -q -v -k 50 --threads 2 "$F" --out "$D/out" 2>&1
echo "== 200,000 rows end to end, -k 50, 2 threads, against scikit-learn's TF-IDF + SVD(100) + KMeans(50)"
F2=$B/bench/corpus_200000.csv
[ -f "$F2" ] || "$PY" "$SHARED/bench/make_corpus.py" 200000 "$F2" || exit 1
/usr/bin/time -f "tx-themes: %e s, peak %M KB" "$B/tx-themes" -q -k 50 --threads 2 "$F2" --out "$D/out200k" 2>&1
for n in 1 10; do
    /usr/bin/time -f "scikit-learn, KMeans n_init=$n: %e s, peak %M KB" "$PY" bench/sk_pipeline.py "$F2" 50 $n 2>&1 | grep -v Warning
done
echo "== steps on the same data"
OPENBLAS_NUM_THREADS=1 TX_MAXITER=20 TX_DUMP="$D/coords.bin" \
    "$B/bench/bench_themes" "$F" label 50 100 1 42 2 | tee "$D/libtext.txt"
"$B/tx-vectorize" -q --threads 2 "$F" -o "$D/vectors.h5" || exit 1
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
for what in svd kmeans faiss; do
    "$PY" bench/sk_speed.py "$D/vectors.h5" "$D/coords.bin" "$ROWS" $what 2>&1 | grep -v Warning
done | tee "$D/peers.txt"
"$PY" - "$D/libtext.txt" "$D/peers.txt" "$ROWS" <<'PYEOF'
import sys
w = open(sys.argv[1]).read().split()
lt = {w[i]: w[i + 1] for i in range(0, len(w) - 1, 2)}
peers = {l.split()[0]: float(l.split()[1]) for l in open(sys.argv[2]) if l.strip()}
n, svd, km = int(sys.argv[3]), float(lt["t_svd"]), float(lt["t_kmeans"])
flops = 20 * 2.0 * n * 50 * 100
print(f"SVD: libtext {svd:.2f} s, scikit-learn {peers['sklearn-svd']:.2f} s: {peers['sklearn-svd'] / svd:.1f}x (target 20x)")
print(f"k-means: libtext {km:.2f} s, scikit-learn {peers['sklearn-kmeans']:.2f} s ({peers['sklearn-kmeans'] / km:.1f}x), "
      f"FAISS {peers['faiss-kmeans']:.2f} s ({peers['faiss-kmeans'] / km:.1f}x; target 4x)")
print(f"k-means: comparing every row with every centre would be {flops / 1e9:.0f} GFLOP of products "
      f"({flops / 1e9 / km:.0f} GFLOP/s in {km:.2f} s); Lloyd's bounds skip most rows, so this is "
      f"not the rate the machine ran at")
PYEOF
