#!/bin/sh
# Themes on real feedback: libtext with its defaults (-k auto, --subthemes
# auto) against scikit-learn's TF-IDF + SVD(100) + KMeans given the true k
# of each level, in the same run, 3 seeds, on the TEST halves written by
# bench/prepare_feedback.py (the dev halves are where rules were chosen).
#  - two-level corpora: themes NMI vs the broad labels, sub-themes NMI vs
#    the specific ones; twitter_airline has one level (themes);
#  - multi-aspect restaurant sentences: best-match F1 per aspect (size-
#    weighted) and the share of multi-aspect sentences given 2+ themes,
#    from mentions.csv; peers: scikit-learn on documents and on sentences;
#  - labels: share of themes (and sub-themes) whose label shares a content
#    word with their majority label's name, beside the top TF-IDF term.
# usage: bench/feedback.sh BUILD PYTHON   (env: SEEDS, default "1 2 3")
B=${1:-build}; PY=${2:-/usr/bin/python3}
SHARED=${TX_SHARED:-../shared}
SEEDS=${SEEDS:-"1 2 3"}
D=$B/bench/feedback; mkdir -p "$D"
"$PY" bench/prepare_feedback.py "$SHARED/corpora" "$D" || exit 1
"$PY" bench/prepare.py "$SHARED/corpora" "$D/short" || exit 1
R=$D/results.txt; : > "$R"
nmi() { "$B/tx-eval" --labels "$1" --label-col "$2" --pred "$3" --pred-col "$4" | awk '/^NMI/{print $2}'; }
# the specific level: the taxonomy's leaves (an unsplit theme is its own)
leaf_nmi() { "$B/tx-eval" --labels "$1" --label-col "$2" --pred "$3" --leaves | awk '/^NMI/{print $2}'; }
for spec in hwu64:18:64 bitext:11:27 review_issues:6:23 twitter_airline:9:9; do
    IFS=: read name kb kl <<EOF
$spec
EOF
    F=$D/$name.test.csv
    for seed in $SEEDS; do
        O=$D/out-$name-$seed
        "$B/tx-themes" -q --seed "$seed" --threads 2 "$F" --out "$O" || exit 1
        k=$("$PY" -c "import json,sys; j=json.load(open(sys.argv[1])); print(j['k'], sum(len(t['subthemes']) for t in j['themes']))" "$O/themes.json")
        echo "level $name libtext $seed $(nmi "$F" broad "$O/assignments.csv" theme) $(leaf_nmi "$F" label "$O/assignments.csv") $k" >> "$R"
        echo "labels $name $seed theme $("$PY" bench/labels.py "$F" label "$O")" >> "$R"
        echo "labels $name $seed subtheme $("$PY" bench/labels.py "$F" label "$O" subtheme)" >> "$R"
    done
    "$PY" bench/sk_cluster.py --col broad "$F" "$kb" $SEEDS | awk -v n="$name" '$1 ~ /svd/ {print "skbroad", n, $2, $3}' >> "$R"
    "$PY" bench/sk_cluster.py --col label "$F" "$kl" $SEEDS | awk -v n="$name" '$1 ~ /svd/ {print "sklabel", n, $2, $3}' >> "$R"
done
for spec in semeval14:4 mams:7; do
    name=${spec%:*}; k=${spec#*:}
    F=$D/$name.multi.test.csv
    for seed in $SEEDS; do
        O=$D/out-$name-$seed
        "$B/tx-themes" -q --seed "$seed" --threads 2 "$F" --out "$O" || exit 1
        echo "multi $name $seed $("$PY" bench/multi_aspect.py libtext "$F" "$O/mentions.csv")" >> "$R"
        "$PY" bench/multi_aspect.py sklearn "$F" "$k" "$seed" | sed "s/^/multi $name $seed /" >> "$R"
    done
done
# Banking77 has named labels too (its own corpus, one level: intents).
F=$D/short/banking77.csv
for seed in $SEEDS; do
    O=$D/out-banking77-$seed
    "$B/tx-themes" -q --seed "$seed" --threads 2 "$F" --out "$O" || exit 1
    echo "labels banking77 $seed theme $("$PY" bench/labels.py "$F" label "$O")" >> "$R"
    echo "labels banking77 $seed subtheme $("$PY" bench/labels.py "$F" label "$O" subtheme)" >> "$R"
done
"$PY" - "$R" <<'PYEOF'
import statistics as st, sys
lv, skb, skl, mu, lab = {}, {}, {}, {}, {}
for line in open(sys.argv[1]):
    w = line.split()
    if w[0] == "level":
        lv.setdefault(w[1], []).append((float(w[4]), float(w[5]), w[6] + "/" + w[7]))
    elif w[0] == "skbroad":
        skb.setdefault(w[1], []).append(float(w[3]))
    elif w[0] == "sklabel":
        skl.setdefault(w[1], []).append(float(w[3]))
    elif w[0] == "multi":
        mu.setdefault((w[1], w[3]), []).append((float(w[4]), float(w[5])))
    elif w[0] == "labels":
        lab.setdefault((w[1], w[3]), []).append((float(w[4]), float(w[5]), float(w[7])))
m = st.mean
print("| corpus (test half) | themes NMI | scikit-learn, true broad k | sub-themes NMI | scikit-learn, true specific k | k found (themes/sub-themes) |")
print("|---|---:|---:|---:|---:|---|")
for n, r in lv.items():
    print(f"| {n} | {m(x[0] for x in r):.3f} | {m(skb[n]):.3f} | {m(x[1] for x in r):.3f} | {m(skl[n]):.3f} | {' '.join(x[2] for x in r)} |")
print()
print("| multi-aspect (test half) | method | best-match F1 | multi-aspect given 2+ themes |")
print("|---|---|---:|---:|")
for (n, meth), r in mu.items():
    print(f"| {n} | {meth} | {m(x[0] for x in r):.3f} | {100 * m(x[1] for x in r):.0f}% |")
print()
print("| labels | level | label shares a word with the true name | top TF-IDF term does | labels that are word lists |")
print("|---|---|---:|---:|---:|")
for (n, level), r in lab.items():
    print(f"| {n} | {level} | {m(x[0] for x in r):.3f} | {m(x[1] for x in r):.3f} | {100 * m(x[2] for x in r):.0f}% |")
PYEOF
