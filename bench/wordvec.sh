#!/bin/sh
# Word vectors for the themes: libtext's own PPMI + SVD vectors (the
# default) against skip-gram with negative sampling (gensim) trained on
# the same corpus and passed in with --word-vectors, true k, seeds 1-3.
# The "reloaded" row writes libtext's PPMI vectors out as a .vec file and
# loads them back the same way, to show what the loading path itself costs.
# usage: bench/wordvec.sh BUILD PYTHON  (needs quality.sh's prepared CSVs)
B=${1:-build}; PY=${2:-/usr/bin/python3}
SHARED=${TX_SHARED:-../shared}
D=$B/bench/wordvec; Q=$B/bench/quality; mkdir -p "$D"
[ -f "$Q/banking77.csv" ] || "$PY" bench/prepare.py "$SHARED/corpora" "$Q" || exit 1
"$PY" -c "import gensim" 2>/dev/null || {
    echo "wordvec.sh: needs gensim: apt-get install python3-gensim" >&2; exit 1; }
nmi() { "$B/tx-eval" --labels "$1" --pred "$2/assignments.csv" | awk '/^NMI/{print $2}'; }
for spec in banking77:77 stackoverflow:20 searchsnippets:8 biomedical:20; do
    name=${spec%:*}; k=${spec#*:}; f=$Q/$name.csv
    ppmi=""; sg=""; re=""
    for seed in 1 2 3; do
        "$B/tx-themes" -q -k "$k" --seed "$seed" --threads 2 "$f" --out "$D/ppmi" || exit 1
        ppmi="$ppmi $(nmi "$f" "$D/ppmi")"
        "$PY" bench/sg_vectors.py "$f" "$D/sg.vec" "$seed" || exit 1
        "$B/tx-themes" -q -k "$k" --word-vectors "$D/sg.vec" --seed "$seed" --threads 2 "$f" --out "$D/sg" || exit 1
        sg="$sg $(nmi "$f" "$D/sg")"
        "$PY" - "$D/ppmi/model.h5" "$D/ppmi.vec" <<'PYEOF' || exit 1
import h5py, sys
f = h5py.File(sys.argv[1], "r")
terms = [t.decode() if isinstance(t, bytes) else t for t in f["vocab/terms"][:]]
wv = f["embedding/word_vectors"][:]
rows = [(t, v) for t, v in zip(terms, wv) if " " not in t and not t.startswith("_")]
with open(sys.argv[2], "w") as o:
    o.write(f"{len(rows)} {wv.shape[1]}\n")
    for t, v in rows:
        o.write(t + " " + " ".join(f"{x:.6g}" for x in v) + "\n")
PYEOF
        "$B/tx-themes" -q -k "$k" --word-vectors "$D/ppmi.vec" --seed "$seed" --threads 2 "$f" --out "$D/re" || exit 1
        re="$re $(nmi "$f" "$D/re")"
    done
    echo "$name ppmi$ppmi"; echo "$name skip-gram$sg"; echo "$name ppmi-reloaded$re"
done | tee "$D/results.txt" | awk '{ s = 0; for (i = 3; i <= NF; i++) s += $i; printf "%-15s %-14s NMI mean %.3f (%s)\n", $1, $2, s / (NF - 2), $3 " " $4 " " $5 }'
