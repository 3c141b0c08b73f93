#!/bin/sh
# Outputs land where the user pointed and nothing is lost or left stale:
# -o writes through symbolic links and into FIFOs and devices; a full disk
# is an error; an --out folder holds only the last successful run's files;
# a failed run leaves the folder as it was (or does not create it), and
# so does one a signal ends; an --out that cannot be written is found
# before any input is read.
B=${1:-build}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL outputs: $1"; fail=$((fail + 1)); }
F=corpora/feedback.csv

"$B/tx-themes" -q "$F" --out "$T/fit" || bad "fit for the model"
M=$T/fit/model.h5

# -o through a symbolic link: the target is written, the link stays.
ln -s target.csv "$T/link.csv"
"$B/tx-assign" -q "$M" "$F" -o "$T/link.csv"
[ -L "$T/link.csv" ] && [ "$(wc -l < "$T/target.csv")" = 71 ] && ok ||
    bad "tx-assign -o LINK replaced the link or wrote nothing"
ln -s vec.h5 "$T/vlink.h5"
"$B/tx-vectorize" -q "$F" -o "$T/vlink.h5"
[ -L "$T/vlink.h5" ] && [ -s "$T/vec.h5" ] && ok ||
    bad "tx-vectorize -o LINK replaced the link or wrote nothing"

# -o into a FIFO: it stays a FIFO and its reader gets every row.
mkfifo "$T/fifo"
timeout 60 cat "$T/fifo" > "$T/from_fifo" &
timeout 60 "$B/tx-assign" -q "$M" "$F" -o "$T/fifo"; wait
[ -p "$T/fifo" ] && [ "$(wc -l < "$T/from_fifo")" = 71 ] && ok ||
    bad "tx-assign -o FIFO"
mkfifo "$T/vfifo"
timeout 60 cat "$T/vfifo" > "$T/from_vfifo" &
timeout 60 "$B/tx-vectorize" -q "$F" -o "$T/vfifo"; wait
[ -p "$T/vfifo" ] && head -c 8 "$T/from_vfifo" | grep -q HDF && ok ||
    bad "tx-vectorize -o FIFO"
n=$("$B/tx-assign" -q "$M" "$F" -o /dev/stdout | wc -l)
[ "$n" = 71 ] && ok || bad "tx-assign -o /dev/stdout gave $n lines"
"$B/tx-assign" -q "$M" "$F" -o /dev/stdout > "$T/stdout.csv"
[ "$(wc -l < "$T/stdout.csv")" = 71 ] && ok ||
    bad "tx-assign -o /dev/stdout into a file lost the rows"

# A full disk is an error with a message, never exit 0. (-o tests use a
# device node of their own: a regression must not replace /dev/full.)
if [ -w /dev/full ]; then
    err=$("$B/tx-vectorize" -q "$F" --dump 2>&1 > /dev/full); rc=$?
    [ $rc = 1 ] && echo "$err" | grep -q 'No space left' && ok ||
        bad "tx-vectorize --dump > /dev/full: exit $rc, '$err'"
    err=$("$B/tx-assign" -q "$M" "$F" 2>&1 > /dev/full); rc=$?
    [ $rc = 1 ] && echo "$err" | grep -q 'No space left' && ok ||
        bad "tx-assign > /dev/full: exit $rc, '$err'"
    if mknod "$T/full" c 1 7 2> /dev/null; then
        err=$("$B/tx-vectorize" -q "$F" -o "$T/full" 2>&1); rc=$?
        [ $rc = 1 ] && [ -c "$T/full" ] && ok ||
            bad "tx-vectorize -o FULL-DEVICE: exit $rc, device kept: $([ -c "$T/full" ] && echo yes || echo no)"
    fi
fi

# A reused --out holds only the last successful run's files: the first run
# (two groups) writes compare.csv, the second (one group) must not keep it.
O=$T/out
"$B/tx-themes" -q "$F" corpora/interviews --out "$O" || bad "first run"
[ -f "$O/compare.csv" ] && ok || bad "first run wrote no compare.csv"
"$B/tx-themes" -q "$F" --out "$O" || bad "second run"
[ ! -e "$O/compare.csv" ] && ok || bad "a stale compare.csv survived the second run"
left=$(ls -A "$O" | grep -v -x -e assignments.csv -e mentions.csv -e themes.json -e report.md \
       -e report.html -e documents.csv -e model.h5)
[ -z "$left" ] && ok || bad "--out holds other files: $left"

# A run that fails leaves the folder as the last successful run left it.
cp -r "$O" "$T/before"
printf 'id,text\n1,hello\n' > "$T/tiny.csv"
"$B/tx-themes" -q "$T/tiny.csv" --out "$O" 2> /dev/null && bad "tiny input succeeded"
diff -r "$T/before" "$O" > /dev/null && ok || bad "a failed run changed --out"
err=$("$B/tx-themes" -q "$T/tiny.csv" --out "$T/new" 2>&1)
[ ! -e "$T/new" ] && ok || bad "a failed run created --out"
echo "$err" | grep -q 'too little text' && ok || bad "too little text is not said: $err"

# A run ended by a signal while it writes (here the file size limit:
# SIGXFSZ once a file passes 10 KB, as Ctrl-C or kill would at that point)
# leaves no temporary file, and the folder as the last run left it.
(ulimit -f 20; exec "$B/tx-themes" -q --seed 7 "$F" --out "$O") 2> /dev/null
rc=$?
[ $rc -gt 128 ] && ok || bad "tx-themes under a 10 KB file limit: exit $rc, not a signal"
diff -r "$T/before" "$O" > /dev/null && ok ||
    bad "a run ended by a signal changed --out: $(ls -A "$O" | tr '\n' ' ')"
(ulimit -f 1; exec "$B/tx-assign" -q "$M" "$F" -o "$T/limited.csv") 2> /dev/null
rc=$?
left=$(ls -A "$T" | grep 'limited')
[ $rc -gt 128 ] && [ -z "$left" ] && ok ||
    bad "tx-assign -o ended by a signal: exit $rc, left: $left"

# An --out that cannot be written is found before the input is read.
err=$("$B/tx-themes" -q /nonexistent.csv --out "$F/sub" 2>&1); rc=$?
[ $rc = 1 ] && echo "$err" | grep -q -- "--out $F/sub" && ok ||
    bad "unwritable --out not named first: '$err'"
err=$("$B/tx-causes" -q "$F" --out "$F" 2>&1); rc=$?
[ $rc = 1 ] && echo "$err" | grep -q 'not a directory' && ok ||
    bad "tx-causes --out FILE: '$err'"
echo "outputs: $pass passed, $fail failed"
[ $fail = 0 ]
