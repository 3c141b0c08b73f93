#!/bin/sh
# TF-IDF of a real corpus equals scikit-learn's, for several settings.
B=${1:-build}; PY=${2:-/usr/bin/python3}
CORPUS=${TX_SHARED:-../shared}/corpora/banking77/train.csv
if [ ! -f "$CORPUS" ]; then
    echo "sklearn_equiv: $CORPUS not found (../shared must sit beside the checkout)" >&2
    exit 1
fi
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
pass=0; fail=0
run() { # name, tx-vectorize flags, min_df max_df sub smooth norm
    name=$1; flags=$2; shift 2
    "$B/tx-vectorize" -q $flags "$CORPUS" --dump > "$T/$name.tsv" &&
    "$B/tx-vectorize" -q $flags "$CORPUS" -o "$T/$name.h5" &&
    "$PY" tests/py/sklearn_equiv.py "$T/$name.tsv" "$T/$name.h5" "$@"
    if [ $? = 0 ]; then pass=$((pass+1)); else fail=$((fail+1)); fi
}
run default "--min-df 2" 2 1.0 1 1 1
run raw "--min-df 1 --raw-tf --no-smooth-idf --no-stem" 1 1.0 0 0 1
run maxdf "--min-df 3 --max-df 0.05 --no-norm --ngram 1:1" 3 0.05 1 1 0
run threads "--min-df 2 --threads 2" 2 1.0 1 1 1
echo "sklearn_equiv: $pass passed, $fail failed"
[ $fail = 0 ]
