#!/bin/sh
# Correctness of the group comparison: survey and interview groups built
# from Banking77 (train + test, 13,083 questions, 77 intents) with planted
# differences in prevalence (10 intents 3x more in the survey, 10 3x more
# in the interviews, the rest even), themed by tx-themes, scored by what
# each theme's documents imply (bench/planted.py). Three plantings, with
# the true k and with -k auto. usage: bench/planted.sh BUILD PYTHON
B=${1:-build}; PY=${2:-/usr/bin/python3}
SHARED=${TX_SHARED:-../shared}; B77=$SHARED/corpora/banking77
D=$B/bench/planted; mkdir -p "$D"
for seed in 1 2 3; do
    "$PY" bench/planted.py make "$B77/train.csv" "$B77/test.csv" "$D/data_$seed.csv" $seed 10 10 3 || exit 1
    for k in 77 auto; do
        "$B/tx-themes" -q --group-col group --unit document -k $k --seed $seed --threads 2 \
            "$D/data_$seed.csv" --out "$D/out_${seed}_$k" || exit 1
        echo "== planting $seed, -k $k"
        "$PY" bench/planted.py score "$D/data_$seed.csv" "$D/out_${seed}_$k" | tee "$D/score_${seed}_$k" | grep -v SUMMARY
    done
done
cat "$D"/score_* | awk '/^SUMMARY/ { m += $2; f += $3; x += $4; n += $5 }
    END { printf "== all 6 runs: %d of %d planted differences found; %d false of %d flagged = %.1f%% (target: all found, <= 5%%)\n", f, m, x, n, 100 * x / n }' 
