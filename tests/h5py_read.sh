#!/bin/sh
# Debian's python3-h5py reads what tx-vectorize writes.
B=${1:-build}; PY=${2:-/usr/bin/python3}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
"$B/tx-vectorize" -q --min-df 1 corpora/feedback.csv tests/data/bad_rows.csv -o "$T/out.h5" || exit 1
"$PY" tests/py/h5py_read.py "$T/out.h5" \
    "$("$B/tx-vectorize" --dump --min-df 1 corpora/feedback.csv tests/data/bad_rows.csv 2>/dev/null | wc -l)" \
    "$("$B/tx-vectorize" --dump --min-df 1 corpora/feedback.csv tests/data/bad_rows.csv 2>&1 >/dev/null | grep -c 'rejected:')"
rc=$?
if [ $rc = 0 ]; then echo "h5py_read: 1 passed, 0 failed"; else echo "h5py_read: 0 passed, 1 failed"; fi
exit $rc
