#!/bin/sh
# tx-themes on 1, 2, 3 and 4 MPI ranks (one thread each) against one process
# with the same threads in all, on the 200,000- and 1,000,000-row corpora:
# wall time, each rank's peak memory, the bytes each stage's exchanges
# moved, and whether the outputs are byte-identical to one process's.
# usage: bench/mpi.sh BUILD PYTHON
B=${1:-build}; PY=${2:-/usr/bin/python3}
SHARED=${TX_SHARED:-../shared}; D=$B/bench/mpi; mkdir -p "$D"
MPI="mpirun -q --oversubscribe -n"
[ "$(id -u)" = 0 ] && MPI="mpirun -q --allow-run-as-root --oversubscribe -n"
for ROWS in ${MPI_ROWS:-200000 1000000}; do
    F=$B/bench/corpus_$ROWS.csv
    [ -f "$F" ] || "$PY" "$SHARED/bench/make_corpus.py" "$ROWS" "$F" || exit 1
    echo "== $ROWS rows, tx-themes -k 50"
    /usr/bin/time -f "1 process, 1 thread: %e s, peak %M KB" \
        "$B/tx-themes" -q -k 50 --threads 1 "$F" --out "$D/one" 2>&1
    /usr/bin/time -f "1 process, 2 threads: %e s, peak %M KB" \
        "$B/tx-themes" -q -k 50 --threads 2 "$F" --out "$D/one2" 2>&1
    for n in ${MPI_RANKS:-2 3 4}; do
        rm -rf "$D/n$n"
        /usr/bin/time -f "$n ranks, 1 thread each: %e s" $MPI "$n" \
            /usr/bin/time -f "  rank peak %M KB" "$B/tx-themes" -q -v -k 50 \
            --threads 1 "$F" --out "$D/n$n" > "$D/n$n.log" 2>&1
        grep -v '^  rank' "$D/n$n.log" | grep -v exchanged
        grep '^  rank' "$D/n$n.log" | sort | sed -n '1p;$p' | tr '\n' ' '; echo
        [ "$n" = 2 ] && grep exchanged "$D/n$n.log" | grep -v ' 0.0 MB' |
            sed 's/^tx-themes: /  exchanged in /'
        same=yes
        for f in "$D/one"/*; do
            cmp -s "$f" "$D/n$n/$(basename "$f")" || same="no ($(basename "$f"))"
        done
        echo "  outputs byte-identical to one process: $same"
    done
done
