#!/bin/sh
# Golden-file tests: tests/golden/<tool>/<case>.args (and optional .in for
# stdin) run from the top of the tree; stdout, stderr and the exit status
# must equal <case>.out. UPDATE=1 rewrites the .out files and prints what
# changed in each, to be read before committing: a golden file is a
# judgement, not a recording.
B=${1:-build}
pass=0; fail=0
for args in tests/golden/*/*.args; do
    dir=${args%/*}; tool=${dir##*/}; case=${args%.args}
    in=/dev/null; [ -f "$case.in" ] && in=$case.in
    got=$( { "$B/$tool" $(cat "$args") < "$in" 2>"$case.stderr.tmp"; echo "--- exit $?"; } ;
           echo "--- stderr"; cat "$case.stderr.tmp")
    rm -f "$case.stderr.tmp"
    if [ "${UPDATE:-0}" = 1 ]; then
        printf '%s\n' "$got" | diff -u "$case.out" - && continue
        printf '%s\n' "$got" > "$case.out"
        echo "UPDATED $case.out (read the diff above)"
        continue
    fi
    if printf '%s\n' "$got" | diff -u "$case.out" - > /dev/null 2>&1; then
        pass=$((pass+1))
    else
        fail=$((fail+1)); echo "FAIL golden $tool/${case##*/}"
        printf '%s\n' "$got" | diff -u "$case.out" - | head -20
    fi
done
echo "golden: $pass passed, $fail failed"
[ $fail = 0 ]
