#!/bin/sh
# The tools under OpenMPI on this machine (loopback): N ranks write the
# same bytes as one process; a file that fails fails every rank with one
# message, a non-zero exit, no hang and no output.
B=${1:-build}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
no() { echo "FAIL mpi: $1"; fail=$((fail + 1)); }
export LIBTEXT_CAUSES_MODEL=models/causes.h5
CORPORA=${TX_CORPORA:-../shared/corpora}

if ! command -v mpirun > /dev/null; then
    echo "FAIL mpi: mpirun not found (apt-get install openmpi-bin libopenmpi-dev)"
    exit 1
fi
# Under the sanitizer build, OpenMPI and OpenBLAS leave their own
# allocations at exit; libtext's leaks are found by the other tests
# (check_comm.c runs the same splits with threads for ranks).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
# Root runs need OpenMPI's consent; more ranks than cores are fine here.
MPI="mpirun -q --oversubscribe -n"
[ "$(id -u)" = 0 ] && MPI="mpirun -q --allow-run-as-root --oversubscribe -n"
# Each rank one thread: the ranks share this machine's cores.
run() { n=$1; shift; timeout 300 $MPI "$n" "$@"; }

# Every file of two --out folders is the same bytes.
same_dirs() {
    for f in "$1"/*; do
        cmp -s "$f" "$2/$(basename "$f")" || { echo "$(basename "$f") differs"; return 1; }
    done
    [ "$(ls "$1" | wc -l)" = "$(ls "$2" | wc -l)" ]
}

# Themes with causes of the default corpus (CSV and transcripts).
"$B/tx-themes" -q --causes corpora/feedback.csv corpora/interviews --out "$T/t1" ||
    no "tx-themes alone"
for n in 2 3; do
    run "$n" "$B/tx-themes" -q --causes corpora/feedback.csv corpora/interviews \
        --out "$T/t$n" || no "tx-themes on $n ranks failed"
    d=$(same_dirs "$T/t1" "$T/t$n") && ok || no "tx-themes on $n ranks: $d"
done

# Causes of real complaint tweets: detection is split over the ranks.
X="$CORPORA/complaints_xci/X-CI Dataset.csv"
"$B/tx-causes" -q --text-col tweet "$X" --out "$T/c1" || no "tx-causes alone"
for n in 2 3; do
    run "$n" "$B/tx-causes" -q --text-col tweet "$X" --out "$T/c$n" ||
        no "tx-causes on $n ranks failed"
    d=$(same_dirs "$T/c1" "$T/c$n") && ok || no "tx-causes on $n ranks: $d"
done

# Assigning held-out intents with a fitted model, split over the ranks.
K="$CORPORA/banking77"
"$B/tx-themes" -q "$K/train.csv" --out "$T/bk" || no "banking77 fit"
"$B/tx-assign" -q "$T/bk/model.h5" "$K/test.csv" -o "$T/a1.csv"
run 3 "$B/tx-assign" -q "$T/bk/model.h5" "$K/test.csv" -o "$T/a3.csv" &&
    cmp -s "$T/a1.csv" "$T/a3.csv" && ok || no "tx-assign on 3 ranks differs"

# Vectors (HDF5) and standard input (read by rank 0, handed to the rest).
"$B/tx-vectorize" -q corpora/feedback.csv -o "$T/v1.h5"
run 2 "$B/tx-vectorize" -q corpora/feedback.csv -o "$T/v2.h5" &&
    cmp -s "$T/v1.h5" "$T/v2.h5" && ok || no "tx-vectorize on 2 ranks differs"
"$B/tx-vectorize" -q --dump - < corpora/feedback.csv > "$T/s1" 2>&1
run 3 "$B/tx-vectorize" -q --dump - < corpora/feedback.csv > "$T/s3" 2>&1 &&
    [ -s "$T/s1" ] && cmp -s "$T/s1" "$T/s3" && ok || no "standard input on 3 ranks"

# A file damaged where the last rank reads it: every rank stops, one
# message names the line, the exit is non-zero and no output is left.
awk 'BEGIN { print "id,text"; for (i = 0; i < 3000; i++)
    printf "%d,\"the card for row %d never came\"\n", i, i
    print "9,\"never closed" }' > "$T/bad.csv"
run 3 "$B/tx-themes" "$T/bad.csv" --out "$T/bad" > "$T/out" 2> "$T/err"
rc=$?
[ "$rc" != 0 ] && [ "$rc" != 124 ] && ok || no "damaged file: exit $rc"
[ "$(grep -c 'bad.csv:3002: unterminated quoted field' "$T/err")" = 1 ] && ok ||
    no "damaged file: not one message: $(head -5 "$T/err")"
[ ! -e "$T/bad" ] && ok || no "damaged file left $T/bad"

# A rank without enough memory (rank 1 under a 350 MB address-space limit,
# so it runs out while reading 200,000 rows) stops the run: one message,
# exit 1, no hang, no output. (With a limit that lets it reach OpenBLAS
# first, OpenBLAS's own allocator retries for ever: not libtext's to fix.)
# (AddressSanitizer cannot run under an address-space limit: not there.)
if ! ldd "$B/tx-themes" | grep -q libasan; then
    awk 'BEGIN { print "id,text"; for (i = 0; i < 200000; i++)
        printf "%d,the card for order %d never came and support kept me waiting %d\n", i, i, i % 97 }' > "$T/big.csv"
    timeout 300 $MPI 1 "$B/tx-themes" -q "$T/big.csv" --out "$T/oom" : \
        -n 1 sh -c "ulimit -v 350000; exec $B/tx-themes -q $T/big.csv --out $T/oom" 2> "$T/err"
    rc=$?
    [ "$rc" = 1 ] && [ "$(grep -c 'out of memory' "$T/err")" = 1 ] && [ ! -e "$T/oom" ] && ok ||
        no "a rank out of memory: exit $rc: $(head -3 "$T/err")"
fi

# A file that is not there, and an --out that cannot be written.
run 2 "$B/tx-causes" "$T/missing.csv" --out "$T/m" 2> "$T/err"
rc=$?
[ "$rc" != 0 ] && [ "$rc" != 124 ] &&
    [ "$(grep -c 'missing.csv: No such file' "$T/err")" = 1 ] && ok ||
    no "missing file: exit $rc: $(head -3 "$T/err")"
run 2 "$B/tx-themes" corpora/feedback.csv --out /proc/no/such 2> "$T/err"
rc=$?
[ "$rc" != 0 ] && [ "$rc" != 124 ] && ok || no "unwritable --out: exit $rc"

# The tools that run as one process say so once, rather than repeat.
run 2 "$B/tx-eval" --labels x --pred y 2> "$T/err"
rc=$?
[ "$rc" != 0 ] && [ "$(grep -c 'runs as one process' "$T/err")" = 1 ] && ok ||
    no "tx-eval under mpirun: exit $rc: $(head -2 "$T/err")"

echo "mpi: $pass passed, $fail failed"
[ "$fail" = 0 ]
