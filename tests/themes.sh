#!/bin/sh
# tx-themes / tx-assign / tx-eval as users rely on them: byte-identical
# output for any thread count, the same partition for shuffled rows,
# tx-assign agreeing with the fit, every row accounted for, bad input.
B=${1:-build}; PY=${2:-/usr/bin/python3}
SHARED=${TX_SHARED:-../shared}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
pass=0; fail=0
ok() { pass=$((pass+1)); }
no() { fail=$((fail+1)); echo "FAIL themes: $1"; }
B77=$SHARED/corpora/banking77/test.csv

# Determinism: same seed, 1 and 2 threads, identical files (model too).
"$B/tx-themes" -q --seed 3 --threads 1 corpora/feedback.csv corpora/interviews --out "$T/t1" &&
"$B/tx-themes" -q --seed 3 --threads 2 corpora/feedback.csv corpora/interviews --out "$T/t2" || no "run failed"
for f in assignments.csv mentions.csv themes.json report.md report.html compare.csv compare_subthemes.csv documents.csv model.h5; do
    cmp -s "$T/t1/$f" "$T/t2/$f" && ok || no "$f differs between 1 and 2 threads"
done
# The same bytes as the files kept in tests/golden/themes-default, so a
# change that moves code around cannot change what users get unnoticed. A
# change meant to alter them rewrites them with UPDATE=1, and the diff is
# read before it is committed.
for f in assignments.csv mentions.csv themes.json report.md compare.csv compare_subthemes.csv documents.csv; do
    if [ "${UPDATE:-0}" = 1 ]; then
        diff -u tests/golden/themes-default/$f "$T/t1/$f" || cp "$T/t1/$f" tests/golden/themes-default/$f
    fi
    cmp -s tests/golden/themes-default/$f "$T/t1/$f" && ok ||
        no "$f differs from tests/golden/themes-default: $(diff tests/golden/themes-default/$f "$T/t1/$f" | head -4)"
done
"$B/tx-themes" -q -k 40 --seed 5 --threads 1 "$B77" --out "$T/b1" &&
"$B/tx-themes" -q -k 40 --seed 5 --threads 2 "$B77" --out "$T/b2" || no "banking77 run failed"
cmp -s "$T/b1/assignments.csv" "$T/b2/assignments.csv" && cmp -s "$T/b1/themes.json" "$T/b2/themes.json" &&
    ok || no "banking77 test set differs between 1 and 2 threads"

# -k auto does not follow the seed where the silhouette curve is flat
# (Biomedical: 20 labels; the curve's maximum once moved from 15 to 72
# themes between seeds). The one-standard-error rule keeps the choices
# within a factor of two.
BIO=$SHARED/corpora/biomedical_stc/Biomedical.txt
ks=""
for seed in 1 2 3; do
    "$B/tx-themes" -q --seed $seed --threads 2 "$BIO" --out "$T/bio$seed" || no "biomedical auto run failed"
    ks="$ks $("$PY" -c "import json,sys; print(json.load(open(sys.argv[1]))['k'])" "$T/bio$seed/themes.json")"
done
"$PY" -c "
import sys; k = [int(x) for x in sys.argv[1:]]
sys.exit(0 if max(k) <= 2 * min(k) and 10 <= min(k) and max(k) <= 40 else 1)" $ks && ok || no "auto k across seeds:$ks"

# The DMM method: deterministic too, and tx-assign agrees with it.
"$B/tx-themes" -q --method dmm -k 30 --seed 4 --threads 1 "$B77" --out "$T/d1" &&
"$B/tx-themes" -q --method dmm -k 30 --seed 4 --threads 2 "$B77" --out "$T/d2" || no "dmm run failed"
cmp -s "$T/d1/assignments.csv" "$T/d2/assignments.csv" && ok || no "dmm differs between 1 and 2 threads"
"$B/tx-assign" -q "$T/d1/model.h5" "$B77" | cmp -s - "$T/d1/assignments.csv" && ok || no "tx-assign disagrees with the dmm fit"
"$B/tx-eval" --labels "$B77" --label-col category --pred "$T/d1/assignments.csv" | grep -q '^NMI 0\.[4-9]' && ok || no "dmm quality"

# Every theme's terms reach themes.json: none lost to a score that JSON
# cannot hold (a phrase that is all of a corpus's phrases scored as
# infinite odds; -k 1 on the default corpus is such a case).
"$B/tx-themes" -q -k 1 corpora/feedback.csv corpora/interviews --out "$T/one" || no "-k 1 run failed"
for d in "$T/t1" "$T/one"; do
    "$PY" - "$d" <<'PYEOF' && ok || no "themes.json lost terms in $d"
import json, sys, h5py
d = sys.argv[1]
themes = json.load(open(f"{d}/themes.json"))["themes"]
n_terms = h5py.File(f"{d}/model.h5", "r")["themes/n_terms"][:]
assert [len(t["terms"]) for t in themes] == list(n_terms), (d, n_terms)
assert all(t["label"] and t["terms"] for t in themes)
PYEOF
done

# Labels read as people write: never "pin, change" when the theme has the
# phrase "change pin", never "top, top card"; with one theme (no contrast
# possible) the terms come by frequency.
"$PY" - "$T/b1/themes.json" "$T/one/themes.json" <<'PYEOF' && ok || no "label rules"
import json, sys
for t in json.load(open(sys.argv[1]))["themes"]:
    parts = t["label"].split(", ")
    terms = {w["term"] for w in t["terms"]}
    if len(parts) == 2:
        a, b = parts
        assert f"{a} {b}" not in terms and f"{b} {a}" not in terms, t["label"]
        assert a not in b.split() and b not in a.split(), t["label"]
one = json.load(open(sys.argv[2]))["themes"][0]["terms"]
assert one[0]["term"] in ("app", "time"), one[:3]   # the two most used words
PYEOF

# Every input row appears once in assignments.csv, in input order.
[ "$(($(wc -l < "$T/t1/assignments.csv") - 1))" = 77 ] && ok || no "row count"
"$B/tx-themes" -q tests/data/bad_rows.csv corpora/feedback.csv --out "$T/bad" || no "bad rows run failed"
rows=$(($(wc -l < "$T/bad/assignments.csv") - 1))
[ "$rows" = 76 ] && ok || no "rows in ($((6 + 70))) != rows out ($rows)"
sed -n 2,7p "$T/bad/assignments.csv" | cut -d, -f1 | tr '\n' ' ' | grep -q '^1 2 3 4 5 6 $' && ok || no "input order"
grep -q '^2,-1,' "$T/bad/assignments.csv" && grep -q '^4,-1,' "$T/bad/assignments.csv" && ok || no "rejected rows are theme -1"
# ... and the reports show people those rows, rejected or with no words left.
grep -q '^- \*2\* (tests/data/bad_rows.csv:3): row has 2 fields' "$T/bad/report.md" &&
    grep -q '^- \*3\*: "unterminated but closed" (no terms left' "$T/bad/report.md" &&
    grep -q '<li><i>4</i>: empty text</li>' "$T/bad/report.html" && ok || no "not-themed rows listed in the reports"

# Shuffled rows: the same documents in each theme.
"$PY" -c "
import csv, random, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
body = rows[1:]; random.Random(9).shuffle(body)
csv.writer(open(sys.argv[2], 'w', newline='', encoding='utf-8')).writerows([rows[0]] + body)" "$B77" "$T/shuffled.csv"
"$B/tx-themes" -q -k 40 --seed 5 --id-col text "$B77" --out "$T/o1" &&
"$B/tx-themes" -q -k 40 --seed 5 --id-col text "$T/shuffled.csv" --out "$T/o2" || no "shuffle runs failed"
"$PY" - "$T/o1/assignments.csv" "$T/o2/assignments.csv" <<'PYEOF' && ok || no "shuffled input changed the partition"
import csv, sys
def groups(path):
    g = {}
    for r in csv.DictReader(open(path, newline="")):
        g.setdefault(r["theme"], set()).add(r["id"])
    return sorted(sorted(v) for v in g.values())
sys.exit(0 if groups(sys.argv[1]) == groups(sys.argv[2]) else 1)
PYEOF
# ... at both levels, and the same mentions for each document.
"$PY" - "$T/o1" "$T/o2" <<'PYEOF' && ok || no "shuffled input changed the sub-themes or mentions"
import csv, sys
def groups(path):
    g = {}
    for r in csv.DictReader(open(path + "/assignments.csv", newline="")):
        g.setdefault(r["subtheme"], set()).add(r["id"])
    return sorted(sorted(v) for v in g.values())
def mentions(path):
    return sorted(tuple(r.values()) for r in csv.DictReader(open(path + "/mentions.csv", newline="")))
a, b = sys.argv[1], sys.argv[2]
sys.exit(0 if groups(a) == groups(b) and mentions(a) == mentions(b) else 1)
PYEOF

# Shuffled rows of the default corpus (groups, stages, outcomes): the same
# bytes in every file but the row positions themes.json names.
"$PY" -c "
import csv, random, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
body = rows[1:]; random.Random(3).shuffle(body)
csv.writer(open(sys.argv[2], 'w', newline='', encoding='utf-8')).writerows([rows[0]] + body)" corpora/feedback.csv "$T/fb_shuffled.csv"
cp corpora/feedback.csv "$T/fb.csv"
"$B/tx-themes" -q "$T/fb.csv" corpora/interviews --out "$T/s1" &&
"$B/tx-themes" -q "$T/fb_shuffled.csv" corpora/interviews --out "$T/s2" || no "shuffled default corpus runs failed"
for f in report.md report.html compare.csv; do
    cmp -s "$T/s1/$f" "$T/s2/$f" && ok || no "shuffled rows changed $f"
done
grep -v '"line":\|"file":' "$T/s1/themes.json" > "$T/s1.json"
grep -v '"line":\|"file":' "$T/s2/themes.json" | sed 's/fb_shuffled/fb/' > "$T/s2.json"
cmp -s "$T/s1.json" "$T/s2.json" && ok || no "shuffled rows changed themes.json: $(diff "$T/s1.json" "$T/s2.json" | head -3)"

# Redaction marks of complaint exports never make a label: every row holds
# "XXXX" or "XX/XX/XXXX", which would otherwise be the commonest word.
"$PY" -c "
import random
r = random.Random(4)
a = ['card never arrived', 'replacement card late', 'card did not come in the mail']
b = ['charged twice for one payment', 'double charge on my bill', 'refund for the extra charge']
print('id,text')
for i in range(120):
    t = r.choice(a if i % 2 else b)
    print(f'{i},On XX/XX/XXXX I called XXXX about the {t} and XXXX told me to wait')
" > "$T/redacted.csv"
"$B/tx-themes" -q -k 2 "$T/redacted.csv" --out "$T/red" || no "redacted corpus run failed"
grep '"label"' "$T/red/themes.json" | grep -qi 'xx\|redact' && no "a redaction mark in a label: $(grep '"label"' "$T/red/themes.json")" || ok

# No two themes share a label (Banking77 with 77 themes gave two themes
# "exchange rate" before labels were made distinct), and no sub-theme
# shares one with a theme or another sub-theme.
"$B/tx-themes" -q -k 77 --seed 5 "$B77" --out "$T/k77" || no "k=77 run failed"
"$PY" - "$T/k77/themes.json" <<'PYEOF' && ok || no "labels shared"
import json, sys
j = json.load(open(sys.argv[1]))
labels = [t["label"] for t in j["themes"]] + [s["label"] for t in j["themes"] for s in t["subthemes"]]
assert len(j["themes"]) == 77 and any(t["subthemes"] for t in j["themes"])
dup = {l for l in labels if labels.count(l) > 1}
assert not dup, dup
PYEOF

# Sub-themes: every themed document of a split theme has a sub-theme of
# that theme (and only those); sizes add up; shares are of the parent;
# none under 5 documents; --subthemes N gives at most N per theme and
# --subthemes 0 none.
"$PY" - "$T/t1/themes.json" "$T/t1/assignments.csv" <<'PYEOF' && ok || no "sub-themes do not match their themes"
import csv, json, sys
j = json.load(open(sys.argv[1]))
rows = list(csv.DictReader(open(sys.argv[2])))
parent = {s["id"]: t["id"] for t in j["themes"] for s in t["subthemes"]}
assert parent, "no sub-themes on the default corpus"
assert sorted(parent) == list(range(len(parent)))
for t in j["themes"]:
    n = [r for r in rows if int(r["theme"]) == t["id"]]
    if t["subthemes"]:
        assert all(parent[int(r["subtheme"])] == t["id"] for r in n)
        assert sum(s["primary"] for s in t["subthemes"]) == t["primary"] == len(n)
        assert all(s["primary"] >= 5 and s["size"] >= s["primary"] and abs(s["share"] - s["size"] / t["size"]) < 1e-9
                   and s["label"] != t["label"] and s["quotes"] for s in t["subthemes"])
    else:
        assert all(r["subtheme"] == "-1" for r in n)
PYEOF
"$PY" - "$T/t1" <<'PYEOF' && ok || no "a sub-theme is missing from report.md or report.html"
import html, json, sys
d = sys.argv[1]
j = json.load(open(d + "/themes.json"))
md, page = open(d + "/report.md").read(), open(d + "/report.html").read()
for t in j["themes"]:
    for s in t["subthemes"]:
        assert s["label"] in md and html.escape(s["label"], quote=False) in page, s["label"]
        assert s["quotes"][0]["text"][:60] in md, s["label"]
PYEOF
"$B/tx-themes" -q -k 5 --subthemes 3 --seed 5 "$B77" --out "$T/s3" &&
"$PY" -c "
import json, sys
j = json.load(open(sys.argv[1]))
assert all(len(t['subthemes']) <= 3 for t in j['themes']) and sum(len(t['subthemes']) for t in j['themes']) == 15
" "$T/s3/themes.json" && ok || no "--subthemes 3"
"$B/tx-themes" -q -k 5 --subthemes 0 --seed 5 "$B77" --out "$T/s0" &&
    [ "$(cut -d, -f4 "$T/s0/assignments.csv" | sort -u | tr '\n' ' ')" = "-1 subtheme " ] && ok || no "--subthemes 0"
"$B/tx-themes" -q --subthemes 1 "$B77" --out "$T/s1x" 2>/dev/null; [ $? = 2 ] && ok || no "--subthemes 1 is a usage error"
# mentions.csv: every themed document has rows, in input order, with
# segments numbered from 0 whose byte ranges lie inside the text, in
# order, not overlapping; a one-segment document's row repeats its
# assignment; rejected and unthemed rows have none.
"$B/tx-themes" -q --seed 3 corpora/feedback.csv --out "$T/m1" || no "feedback run failed"
"$PY" - corpora/feedback.csv "$T/m1/assignments.csv" "$T/m1/mentions.csv" <<'PYEOF' && ok || no "mentions.csv offsets or rows"
import csv, sys
text = {r["id"]: r["text"].encode() for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8"))}
assign = list(csv.DictReader(open(sys.argv[2])))
ment = list(csv.DictReader(open(sys.argv[3])))
assert list(ment[0].keys()) == ["id", "segment", "start", "end", "theme", "subtheme", "score"]
order = [a["id"] for a in assign]
by = {}
for m in ment:
    by.setdefault(m["id"], []).append(m)
assert [i for i in order if i in by] == list(by), "not in input order"
for a in assign:
    ms = by.get(a["id"], [])
    if a["theme"] == "-1":
        assert not ms, a
        continue
    assert ms, a
    t = text[a["id"]]
    last = 0
    for n, m in enumerate(ms):
        s, e = int(m["start"]), int(m["end"])
        assert int(m["segment"]) == n and last <= s < e <= len(t), (a, m)
        assert t[s:e].strip() == t[s:e] and t[s:e], (a, m)
        last = e
    if len(ms) == 1:
        m = ms[0]
        assert (m["theme"], m["subtheme"], m["score"]) == (a["theme"], a["subtheme"], a["score"]), (a, m)
PYEOF
# A review of two things mentions both themes; one of one thing, one.
"$PY" -c "
import random
r = random.Random(7)
bat = ['the battery lasts all day', 'battery life is poor and it drains fast', 'the battery charge drains overnight', 'battery dies after two hours']
key = ['the keyboard keys stick', 'keyboard keys feel flimsy and loud', 'the keyboard backlight flickers', 'some keyboard keys stopped typing']
print('id,text')
for i in range(60):
    print(f'b{i},{r.choice(bat).capitalize()}. {r.choice(bat).capitalize()}.')
    print(f'k{i},{r.choice(key).capitalize()}. {r.choice(key).capitalize()}.')
for i in range(20):
    print(f'm{i},{r.choice(bat).capitalize()} but {r.choice(key)}.')
" > "$T/mixed.csv"
"$B/tx-themes" -q -k 2 --seed 1 "$T/mixed.csv" --out "$T/mx" || no "mixed run failed"
"$PY" - "$T/mx/mentions.csv" <<'PYEOF' && ok || no "a two-topic review does not mention both themes"
import csv, sys
th = {}
for m in csv.DictReader(open(sys.argv[1])):
    th.setdefault(m["id"], set()).add(m["theme"])
assert all(len(v) == 2 for i, v in th.items() if i[0] == "m"), th
assert sum(len(v) == 1 for i, v in th.items() if i[0] != "m") >= 110
PYEOF

# tx-assign gives the fit's theme and sub-theme to the fitted documents
# (the default corpus, groups and transcripts included).
"$B/tx-assign" -q "$T/t1/model.h5" corpora/feedback.csv corpora/interviews | cmp -s - "$T/t1/assignments.csv" &&
    ok || no "tx-assign disagrees with the fit's sub-themes"

# tx-assign on the training documents agrees 100% with the fit.
"$B/tx-assign" -q "$T/b1/model.h5" "$B77" > "$T/assigned.csv" || no "tx-assign failed"
cmp -s "$T/assigned.csv" "$T/b1/assignments.csv" && ok || no "tx-assign disagrees with the fit"

# Broader themes from the merge tree, without refitting.
"$B/tx-assign" -q --broader 5 "$T/b1/model.h5" "$B77" > "$T/broad.csv" || no "--broader failed"
[ "$(tail -n +2 "$T/broad.csv" | cut -d, -f2 | sort -u | grep -v '^-1$' | wc -l)" = 5 ] && ok || no "--broader 5 gives 5 groups"
"$PY" - "$T/b1/assignments.csv" "$T/broad.csv" <<'PYEOF' && ok || no "broader groups are unions of themes"
import csv, sys
fine = [r["theme"] for r in csv.DictReader(open(sys.argv[1]))]
broad = [r["theme"] for r in csv.DictReader(open(sys.argv[2]))]
m = {}
for f, b in zip(fine, broad):
    if m.setdefault(f, b) != b:
        sys.exit(1)
PYEOF
"$B/tx-assign" -q --broader 500 "$T/b1/model.h5" "$B77" > /dev/null 2>&1; [ $? = 1 ] && ok || no "--broader above k"

# themes.json is valid JSON with the documented fields.
"$PY" - "$T/bad/themes.json" <<'PYEOF' && ok || no "themes.json fields"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["n_docs"] == 76 and j["k"] == len(j["themes"]) and j["k"] >= 2
t = j["themes"][0]
for key in ("id", "label", "terms", "size", "share", "stability", "quotes", "subthemes", "groups"):
    assert key in t, key
assert sum(t["primary"] for t in j["themes"]) + len(j["rejected"]) == 76 and all(t["size"] >= t["primary"] for t in j["themes"])
assert {r["reason"] for r in j["rejected"]} >= {"empty text"}
assert all(not w["term"].startswith("_") for t in j["themes"] for w in t["terms"])
assert len(j["tree"]) == j["k"] - 1
PYEOF

# tx-eval reads labels and predictions and scores them.
"$B/tx-eval" --labels "$B77" --label-col category --pred "$T/b1/assignments.csv" > "$T/eval.txt" &&
    grep -q '^NMI 0\.[4-9]' "$T/eval.txt" && ok || no "tx-eval: $(cat "$T/eval.txt")"

# tx-eval: ids in only one file are reported; an id given twice is an error.
printf 'id,label\n1,x\n2,y\n3,x\n' > "$T/lab.csv"
printf 'id,theme\n1,0\n2,1\n4,0\n' > "$T/pred.csv"
"$B/tx-eval" --labels "$T/lab.csv" --pred "$T/pred.csv" 2> "$T/err" | grep -q '^rows 2$' &&
    grep -q '1 ids of .*lab.csv are not in' "$T/err" && grep -q '1 ids of .*pred.csv are not in' "$T/err" &&
    ok || no "tx-eval ids in one file: $(cat "$T/err")"
printf 'id,theme\n1,0\n1,1\n3,0\n' > "$T/pdup.csv"
"$B/tx-eval" --labels "$T/lab.csv" --pred "$T/pdup.csv" > /dev/null 2> "$T/err"; [ $? = 1 ] &&
    grep -q "pdup.csv: id '1' appears more than once" "$T/err" && ok || no "tx-eval duplicate id: $(cat "$T/err")"

# tx-eval --leaves: a theme without sub-themes is a group of its own,
# not one -1 group with every other unsplit theme.
printf 'id,label\n1,a\n2,a\n3,b\n4,b\n5,c\n6,d\n' > "$T/lab.csv"
printf 'id,theme,score,subtheme\n1,0,1,-1\n2,0,1,-1\n3,1,1,-1\n4,1,1,-1\n5,2,1,0\n6,2,1,1\n' > "$T/two.csv"
"$B/tx-eval" --labels "$T/lab.csv" --pred "$T/two.csv" --leaves > "$T/eval.txt" &&
    grep -q '^clusters 4$' "$T/eval.txt" && grep -q '^NMI 1.0000$' "$T/eval.txt" &&
    "$B/tx-eval" --labels "$T/lab.csv" --pred "$T/two.csv" --pred-col subtheme | grep -q '^clusters 3$' &&
    ok || no "tx-eval --leaves: $(cat "$T/eval.txt")"

# Bad input.
printf 'text\nthe card\n' > "$T/one.csv"
"$B/tx-themes" -q "$T/one.csv" --out "$T/one" 2> "$T/err"; [ $? = 1 ] && grep -q 'too little text' "$T/err" && ok || no "one document"
printf 'text\nparcel arrived damaged\nparcel arrived damaged\nparcel arrived damaged\nparcel arrived damaged\n' > "$T/same.csv"
"$B/tx-themes" -q -k 3 "$T/same.csv" --out "$T/same" && [ "$("$PY" -c "import json;print(json.load(open('$T/same/themes.json'))['k'])")" = 1 ] &&
    ok || no "identical documents make one theme"
printf 'text\nsame text here\nsame text here\nsame text here\n' > "$T/oneterm.csv"
"$B/tx-themes" -q "$T/oneterm.csv" --out "$T/oneterm" 2> "$T/err"; [ $? = 1 ] && grep -q 'only one term is left' "$T/err" && ok || no "one term left: $(cat "$T/err")"
printf 'text\nparcel late\nrefund slow\nparcel lost\nrefund missing\nthe and of\n' > "$T/few.csv"
"$B/tx-themes" -q -k 50 --min-df 1 "$T/few.csv" --out "$T/few" && grep -q '^5,-1,' "$T/few/assignments.csv" &&
    [ "$("$PY" -c "import json;print(json.load(open('$T/few/themes.json'))['k'])")" -le 4 ] && ok || no "k above distinct documents / empty after stopwords"
# Long and odd documents among ordinary ones: a 10,000-sentence document,
# a 2,000-word comment with no punctuation, emoji-only and one-word
# comments, a comment in two languages. Every row is in assignments.csv;
# every themed document has mentions inside its text; the long document's
# sentences on one theme are one segment, not 10,000 rows.
"$PY" - "$T" <<'PYEOF'
import csv, random, sys
r = random.Random(1)
base = list(csv.DictReader(open("corpora/feedback.csv", newline="", encoding="utf-8")))
words = "card delivery app refund charged twice late parcel account support waited hours agent".split()
rows = [(b["id"], b["text"]) for b in base]
rows.append(("huge", " ".join(f"The {r.choice(words)} was {r.choice(words)} again." for _ in range(10000))))
rows.append(("nopunct", " ".join(r.choice(words) for _ in range(2000))))
rows += [("emoji", "\U0001F600\U0001F600"), ("word", "card"), ("twolang", "The card never arrived. La tarjeta nunca llegó y nadie me ayudó.")]
with open(sys.argv[1] + "/odd.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f); w.writerow(["id", "text"]); w.writerows(rows)
PYEOF
"$B/tx-themes" -q --seed 2 "$T/odd.csv" --out "$T/odd" || no "odd documents run failed"
"$PY" - "$T/odd.csv" "$T/odd" <<'PYEOF' && ok || no "odd documents: rows or mentions"
import csv, sys
csv.field_size_limit(1 << 24)
text = {r["id"]: r["text"].encode() for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8"))}
a = {r["id"]: r for r in csv.DictReader(open(sys.argv[2] + "/assignments.csv"))}
m = list(csv.DictReader(open(sys.argv[2] + "/mentions.csv")))
assert set(a) == set(text)
for r in m:
    assert 0 <= int(r["start"]) < int(r["end"]) <= len(text[r["id"]]), r
    assert a[r["id"]]["theme"] != "-1"
assert {r["id"] for r in m} == {i for i, r in a.items() if r["theme"] != "-1"}
assert sum(r["id"] == "huge" for r in m) <= 20
PYEOF
# Three documents with no word in common: too little text, said clearly.
printf 'text
The card never arrived.
I was charged twice.
The app crashes on login.
' > "$T/three.csv"
"$B/tx-themes" -q "$T/three.csv" --out "$T/three" 2> "$T/err"; [ $? = 1 ] && grep -q 'too little text' "$T/err" && ok || no "three documents"
# More sub-themes asked for than a theme has documents: no part under 5.
"$B/tx-themes" -q -k 3 --subthemes 50 corpora/feedback.csv --out "$T/sub50" &&
"$PY" -c "
import json, sys
j = json.load(open(sys.argv[1]))
assert all(s['primary'] >= 5 for t in j['themes'] for s in t['subthemes'])
" "$T/sub50/themes.json" && ok || no "--subthemes above a theme's documents"
head -c 3000 "$T/b1/model.h5" > "$T/cut.h5"
"$B/tx-assign" -q "$T/cut.h5" "$B77" > /dev/null 2> "$T/err"; [ $? = 1 ] && grep -q 'cut.h5' "$T/err" && ok || no "truncated model"
cp "$T/b1/model.h5" "$T/old.h5"
"$PY" -c "import h5py; f = h5py.File('$T/old.h5', 'r+'); f.attrs['libtext_format'] = 999; f.close()"
"$B/tx-assign" -q "$T/old.h5" "$B77" > /dev/null 2> "$T/err"; [ $? = 1 ] && grep -q 'format 999' "$T/err" && ok || no "model from another version: $(cat "$T/err")"
cp "$T/b1/model.h5" "$T/nan.h5"
"$PY" -c "import h5py, numpy as np; f = h5py.File('$T/nan.h5', 'r+'); c = f['themes/centroids']; d = c[()]; d[3, 2] = np.nan; c[...] = d; f.close()"
"$B/tx-assign" -q "$T/nan.h5" "$B77" > /dev/null 2> "$T/err"; [ $? = 1 ] && grep -q 'nan.h5: damaged model: a stored number is not finite' "$T/err" && ok || no "NaN in a model: $(cat "$T/err")"
"$B/tx-themes" -q -k 0 corpora/feedback.csv --out "$T/x" 2>/dev/null; [ $? = 2 ] && ok || no "-k 0 is a usage error"

# Chinese feedback, written without spaces: ICU's word breaker lets answers
# about delivery and about the app share words, so they form two themes
# labelled in the customers' words (before, every answer was one unique
# token and tx-themes found nothing to cluster).
"$B/tx-themes" -q -k 2 tests/data/chinese.csv --out "$T/zh" &&
    "$B/tx-eval" --labels tests/data/chinese.csv --label-col topic --pred "$T/zh/assignments.csv" > "$T/zh.txt" &&
    "$PY" - "$T/zh.txt" "$T/zh/themes.json" <<'PY' && ok || no "Chinese themes: $(cat "$T/zh.txt")"
import json, sys
acc = float([l.split()[1] for l in open(sys.argv[1]) if l.startswith("ACC")][0])
assert acc >= 0.75, acc
labels = [t["label"] for t in json.load(open(sys.argv[2]))["themes"]]
assert any("快递" in l or "包裹" in l for l in labels), labels
assert any("应用" in l or "崩溃" in l for l in labels), labels
PY

# Survey non-answers ("N/A", "No comment", "Nothing to add") stay out of
# the themes, each listed with its reason, and tx-assign agrees; before,
# they formed themes of their own ("not comment", "not applicable").
"$PY" - corpora/feedback.csv "$T/na.csv" <<'PY'
import csv, sys
rows = [(r["id"], r["text"]) for r in csv.DictReader(open(sys.argv[1]))]
non = ["N/A", "No comment", "Nothing to add.", "not applicable", "none", "n/a"]
rows += [("na%d" % i, non[i % len(non)]) for i in range(36)]
w = csv.writer(open(sys.argv[2], "w", newline=""))
w.writerow(["id", "text"])
w.writerows(rows)
PY
"$B/tx-themes" -q --seed 2 "$T/na.csv" --out "$T/na" &&
    "$B/tx-assign" -q "$T/na/model.h5" "$T/na.csv" > "$T/na_assign.csv" &&
    "$PY" - "$T/na" "$T/na_assign.csv" <<'PY' && ok || no "non-answers"
import csv, json, sys
j = json.load(open(sys.argv[1] + "/themes.json"))
labels = " ".join(t["label"] for t in j["themes"])
assert "comment" not in labels and "applicable" not in labels, labels
na = [r for r in j["rejected"] if r["id"].startswith("na")]
assert len(na) == 36 and all(r["reason"].startswith("non-answer") for r in na), na[:3]
fit = {r["id"]: r["theme"] for r in csv.DictReader(open(sys.argv[1] + "/assignments.csv"))}
new = {r["id"]: r["theme"] for r in csv.DictReader(open(sys.argv[2]))}
assert fit == new, [k for k in fit if fit[k] != new.get(k)][:5]
assert "36 non-answers" in open(sys.argv[1] + "/report.md").read()
PY

# German feedback: themes in German words, and the reports say that
# sentiment, friction and stages (English word lists) were not measured;
# English text gets no such note.
"$PY" - "$T/de.csv" <<'PY'
import csv, sys
de = ["Die Lieferung kam zu spät und der Kundenservice war nicht erreichbar.",
      "Ich habe die Karte bestellt, aber sie ist nie angekommen.",
      "Das Geld wurde abgebucht, und die App zeigt es nicht an.",
      "Die App stürzt nach dem Update immer wieder ab.",
      "Der Kundenservice war sehr freundlich und hat schnell geholfen.",
      "Die Lieferung war pünktlich und das Paket war gut verpackt."]
w = csv.writer(open(sys.argv[1], "w", newline=""))
w.writerow(["id", "text"])
for i in range(60):
    w.writerow([i, de[i % len(de)]])
PY
"$B/tx-themes" -q --lang german "$T/de.csv" --out "$T/de" &&
    grep -q 'this text reads as german' "$T/de/report.md" &&
    grep -q 'this text reads as german' "$T/de/report.html" &&
    ! grep -q 'reads as' "$T/t1/report.md" && ok || no "non-English note in the reports"

# Long documents (whole transcripts or essays, 9 MB of text in 120 rows):
# the phrase sample is cut to about 8 MB and the co-occurrence counts are
# folded as they grow, so this runs in seconds; the themes still follow
# the two topics and their labels still carry the topics' phrases.
"$PY" - "$T/long.csv" <<'PY'
import csv, random, sys
random.seed(7)
topics = [["the card was declined at the shop", "my card payment failed again",
           "card declined twice today"],
          ["the parcel delivery was late", "late delivery of my parcel",
           "the courier left the parcel outside"]]
filler = ["%s%d" % (w, i) for w in ("alpha", "bravo", "delta") for i in range(300)]
w = csv.writer(open(sys.argv[1], "w", newline=""))
w.writerow(["id", "text"])
for i in range(120):
    parts = []
    while sum(len(p) + 1 for p in parts) < 75000:
        parts.append(random.choice(topics[i % 2]) if random.random() < 0.4
                     else " ".join(random.choice(filler) for _ in range(6)))
    w.writerow([i, ". ".join(parts)])
PY
"$B/tx-themes" -q -k 2 --threads 2 "$T/long.csv" --out "$T/long" || no "long documents run failed"
"$PY" - "$T/long" <<'PY' && ok || no "long documents: themes or phrases"
import csv, json, sys
d = sys.argv[1]
rows = list(csv.DictReader(open(d + "/assignments.csv")))
assert len(rows) == 120
a = {r["theme"] for r in rows if int(r["id"]) % 2 == 0}
b = {r["theme"] for r in rows if int(r["id"]) % 2 == 1}
assert len(a) == 1 and len(b) == 1 and a != b, (a, b)
terms = [t["term"] for th in json.load(open(d + "/themes.json"))["themes"] for t in th["terms"]]
assert "card declined" in terms and "parcel delivery" in terms, terms
PY

echo "themes: $pass passed, $fail failed"
[ $fail = 0 ]
