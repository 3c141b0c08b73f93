#!/bin/sh
# Correctness of the group comparison: survey and interview groups built
# from Banking77 (train + test, 13,083 questions, 77 intents) with planted
# differences in prevalence (10 intents 3x more in the survey, 10 3x more
# in the interviews, the rest even), themed by tx-themes, scored by what
# each theme's (and sub-theme's) documents imply (bench/planted.py):
# compare.csv for themes, compare_subthemes.csv for sub-themes. PLANTINGS
# plantings (default 20: the share of false discoveries of one planting
# swings by several points), with the true k and with -k auto.
# usage: bench/planted.sh BUILD PYTHON
B=${1:-build}; PY=${2:-/usr/bin/python3}
SHARED=${TX_SHARED:-../shared}; B77=$SHARED/corpora/banking77
N=${PLANTINGS:-20}
D=$B/bench/planted; mkdir -p "$D"; rm -f "$D"/score_*
for seed in $(seq 1 "$N"); do
    "$PY" bench/planted.py make "$B77/train.csv" "$B77/test.csv" "$D/data_$seed.csv" $seed 10 10 3 || exit 1
    for k in 77 auto; do
        "$B/tx-themes" -q --group-col group --unit document -k $k --seed $seed --threads 2 \
            "$D/data_$seed.csv" --out "$D/out_${seed}_$k" || exit 1
        for level in theme subtheme; do
            "$PY" bench/planted.py score "$D/data_$seed.csv" "$D/out_${seed}_$k" $level \
                > "$D/score_${seed}_${k}_$level" || exit 1
        done
    done
done
for k in 77 auto; do
    for level in theme subtheme; do
        cat "$D"/score_*_${k}_$level | awk -v k="$k" -v l="$level" '/^SUMMARY/ { m += $2; f += $3; x += $4; n += $5 }
            END { printf "== -k %s, %ss, %d plantings: %d of %d planted differences found; %d false of %d flagged = %.1f%%\n", k, l, NR / 4, f, m, x, n, n ? 100 * x / n : 0 }'
    done
done
cat "$D"/score_* | awk '/^SUMMARY/ { m += $2; f += $3; x += $4; n += $5 }
    END { printf "== all runs, both levels: %d of %d planted differences found; %d false of %d flagged = %.1f%% (target: all found, <= 5%%)\n", f, m, x, n, 100 * x / n }'
