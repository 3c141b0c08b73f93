#!/bin/sh
# Vectors from elsewhere: document embeddings (.npy float32/64, HDF5) and
# pretrained word vectors (word2vec text/binary, GloVe), with their bad
# inputs: row count, NaN, a model that needs embeddings.
B=${1:-build}; PY=${2:-/usr/bin/python3}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
pass=0; fail=0
ok() { pass=$((pass+1)); }
no() { fail=$((fail+1)); echo "FAIL vectors: $1"; }
# 40 rows: two kinds of complaint, in the order the planted groups follow.
{ echo text
  i=0; while [ $i -lt 20 ]; do echo "parcel delivery late again $i"; i=$((i+1)); done
  i=0; while [ $i -lt 20 ]; do echo "refund charged twice again $i"; i=$((i+1)); done; } > "$T/c.csv"
"$PY" tests/py/make_vectors.py "$T" 40 || exit 1

for e in emb.npy emb64.npy emb.h5; do
    "$B/tx-themes" -q -k 2 --embeddings "$T/$e" "$T/c.csv" --out "$T/o-$e" || { no "$e run"; continue; }
    # The planted groups come back as the two themes.
    "$PY" -c "
import csv, sys
r = list(csv.DictReader(open('$T/o-$e/assignments.csv')))
a, b = {x['theme'] for x in r[:20]}, {x['theme'] for x in r[20:]}
sys.exit(0 if len(a) == 1 and len(b) == 1 and a != b else 1)" && ok || no "$e: planted groups not found"
done
"$B/tx-assign" -q --embeddings "$T/emb.npy" "$T/o-emb.npy/model.h5" "$T/c.csv" > "$T/a.csv" &&
    cmp -s "$T/a.csv" "$T/o-emb.npy/assignments.csv" && ok || no "tx-assign with embeddings disagrees"
"$B/tx-assign" -q "$T/o-emb.npy/model.h5" "$T/c.csv" > /dev/null 2> "$T/err"
[ $? = 1 ] && grep -q 'give --embeddings' "$T/err" && ok || no "missing --embeddings"
"$B/tx-themes" -q -k 2 --embeddings "$T/short.npy" "$T/c.csv" --out "$T/x" 2> "$T/err"
[ $? = 1 ] && grep -q '39 rows of vectors, but 40 input rows' "$T/err" && ok || no "row count: $(cat "$T/err")"
"$B/tx-themes" -q -k 2 --embeddings "$T/nan.npy" "$T/c.csv" --out "$T/x" 2> "$T/err"
[ $? = 1 ] && grep -q 'row 3, column 6 is NaN' "$T/err" && ok || no "NaN: $(cat "$T/err")"
"$B/tx-assign" -q --embeddings "$T/short.npy" "$T/o-emb.npy/model.h5" "$T/c.csv" > /dev/null 2> "$T/err"
[ $? = 1 ] && grep -q 'need 40 rows' "$T/err" && ok || no "assign row count"

for w in words.txt words.bin glove.txt; do
    "$B/tx-themes" -q -k 2 --word-vectors "$T/$w" "$T/c.csv" --out "$T/w-$w" &&
        "$B/tx-assign" -q "$T/w-$w/model.h5" "$T/c.csv" | cmp -s - "$T/w-$w/assignments.csv" &&
        ok || no "$w"
done
printf 'not vectors at all\n' > "$T/bad.txt"
"$B/tx-themes" -q -k 2 --word-vectors "$T/bad.txt" "$T/c.csv" --out "$T/x" 2> "$T/err"
[ $? = 1 ] && grep -q 'bad.txt:1:' "$T/err" && ok || no "bad word vectors: $(cat "$T/err")"

# A truncated file (fewer vectors than its header says), a line with more
# numbers than the dimension, and a NaN in binary vectors: errors, not
# vectors quietly missing or poisoning the themes.
printf '5 3\nparcel 1 2 3\nrefund 3 2 1\n' > "$T/few.vec"
"$B/tx-themes" -q -k 2 --word-vectors "$T/few.vec" "$T/c.csv" --out "$T/x" 2> "$T/err"
[ $? = 1 ] && grep -q 'announces 5 vectors but the file has 2' "$T/err" && ok || no "truncated word vectors: $(cat "$T/err")"
printf '2 3\nparcel 1 2 3 4\nrefund 3 2 1\n' > "$T/long.vec"
"$B/tx-themes" -q -k 2 --word-vectors "$T/long.vec" "$T/c.csv" --out "$T/x" 2> "$T/err"
[ $? = 1 ] && grep -q 'long.vec:2: expected 3 finite numbers' "$T/err" && ok || no "too many numbers: $(cat "$T/err")"
"$PY" -c "
import struct, sys
with open(sys.argv[1], 'wb') as f:
    f.write(b'2 3\n' + b'parcel ' + struct.pack('<3f', 1, 2, 3) + b'\n')
    f.write(b'refund ' + struct.pack('<3f', 1, float('nan'), 3) + b'\n')" "$T/nan.bin"
"$B/tx-themes" -q -k 2 --word-vectors "$T/nan.bin" "$T/c.csv" --out "$T/x" 2> "$T/err"
[ $? = 1 ] && grep -q 'word 2 has a value that is not a finite number' "$T/err" && ok || no "NaN in binary vectors: $(cat "$T/err")"

# .npy whose header claims far more rows than the file holds: an error
# before any allocation (not an out-of-memory); float64 beyond float32's
# range: infinite, so an error too.
"$PY" -c "
import numpy as np, sys
d = \"{'descr': '<f4', 'fortran_order': False, 'shape': (999999999999, 3), }\"
d = d.ljust(118) + '\\n'
open(sys.argv[1], 'wb').write(b'\\x93NUMPY\\x01\\x00' + len(d).to_bytes(2, 'little') + d.encode() + bytes(40 * 12))
big = np.ones((40, 3)); big[5, 1] = 1e300
np.save(sys.argv[2], big)" "$T/huge.npy" "$T/f64.npy"
"$B/tx-themes" -q -k 2 --embeddings "$T/huge.npy" "$T/c.csv" --out "$T/x" 2> "$T/err"
[ $? = 1 ] && grep -q 'truncated: fewer values than shape (999999999999, 3)' "$T/err" && ok || no "huge .npy shape: $(cat "$T/err")"
"$B/tx-themes" -q -k 2 --embeddings "$T/f64.npy" "$T/c.csv" --out "$T/x" 2> "$T/err"
[ $? = 1 ] && grep -q 'row 6, column 2 is infinite' "$T/err" && ok || no "float64 out of range: $(cat "$T/err")"

echo "vectors: $pass passed, $fail failed"
[ $fail = 0 ]
