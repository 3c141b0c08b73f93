#!/bin/sh
# The example programs work as their comments say: examples/themes_of_csv
# prints one line per theme with a label, a size and a quote taken from the
# corpus, the sizes add up to the themed documents, and a missing file is
# a clear error with exit status 1.
B=${1:-build}
EX=$B/examples/themes_of_csv
CSV=corpora/feedback.csv
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL examples: $1"; fail=$((fail + 1)); }
out=$("$EX" "$CSV" 5 2> /dev/null); rc=$?
[ $rc = 0 ] && ok || bad "themes_of_csv exited $rc"
echo "$out" | head -1 | grep -q '^70 documents, 0 rejected rows, 5 themes$' && ok ||
    bad "summary line: $(echo "$out" | head -1)"
n=$(echo "$out" | grep -c '^ *[0-9][0-9]*  .* [0-9][0-9]* docs  "')
[ "$n" = 5 ] && ok || bad "expected 5 theme lines with a quote, got $n"
sum=$(echo "$out" | sed -n 's/.* \([0-9][0-9]*\) docs .*/\1/p' | awk '{s += $1} END {print s + 0}')
[ "$sum" -gt 0 ] && [ "$sum" -le 70 ] && ok || bad "theme sizes add up to '$sum'"
# Every quote is the start of a document of the corpus.
q=$(echo "$out" | sed -n 's/.* docs  "\(.\{20\}\).*/\1/p')
missing=0
echo "$q" | while IFS= read -r s; do grep -qF -- "$s" "$CSV" || exit 1; done || missing=1
[ $missing = 0 ] && ok || bad "a quote is not in the corpus"
err=$("$EX" /nonexistent/x.csv 2>&1 > /dev/null); rc=$?
[ $rc = 1 ] && echo "$err" | grep -q '/nonexistent/x.csv' && ok ||
    bad "missing file: exit $rc, '$err'"
"$EX" > /dev/null 2>&1; [ $? = 2 ] && ok || bad "no argument is not a usage error"
echo "examples: $pass passed, $fail failed"
[ $fail = 0 ]
