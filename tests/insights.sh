#!/bin/sh
# Decisions from themes as users rely on them: compare.csv with intervals
# and q-values that find a planted difference and not an absent one; one
# respondent counted once; drivers of an outcome; rising themes; the HTML
# report in a real browser (headless Chromium): charts present, no console
# error, nothing loaded from the network.
B=${1:-build}; PY=${2:-/usr/bin/python3}
SHARED=${TX_SHARED:-../shared}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
pass=0; fail=0
ok() { pass=$((pass+1)); }
no() { fail=$((fail+1)); echo "FAIL insights: $1"; }
export LIBTEXT_CAUSES_MODEL=models/causes.h5

# Planted: four Banking77 intents; "card_arrival" 3x more in the survey,
# "exchange_rate" 3x more in interviews, the others even. NPS is low for
# "apple_pay_or_google_pay"; "pin_blocked" rises in the last month.
"$PY" - "$SHARED/corpora/banking77/train.csv" "$T/planted.csv" <<'PY'
import csv, random, sys
rng = random.Random(7)
keep = {"card_arrival": 0.75, "exchange_rate": 0.25, "apple_pay_or_google_pay": 0.5, "pin_blocked": 0.5}
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["category"] in keep]
w = csv.writer(open(sys.argv[2], "w", newline=""))
w.writerow(["id", "text", "group", "label", "nps", "month"])
for i, r in enumerate(rows):
    c = r["category"]
    g = "survey" if rng.random() < keep[c] else "interview"
    nps = rng.choice([0, 1, 2, 3]) if c == "apple_pay_or_google_pay" else rng.choice([7, 8, 9, 10])
    month = "2026-0%d-15" % (3 if c == "pin_blocked" and rng.random() < 0.8 else rng.choice([1, 2, 3]))
    w.writerow(["r%d" % i, r["text"], g, c, nps, month])
PY
"$B/tx-themes" -q -k 4 --seed 2 --group-col group --unit document --outcome-col nps --time-col month \
    "$T/planted.csv" --out "$T/p" || no "planted run failed"
"$PY" - "$T/planted.csv" "$T/p" <<'PY' && ok || no "planted differences, drivers or trend not found"
import csv, json, sys
label = {r["id"]: r["label"] for r in csv.DictReader(open(sys.argv[1]))}
d = sys.argv[2]
members = {}
for r in csv.DictReader(open(d + "/assignments.csv")):
    members.setdefault(int(r["theme"]), []).append(label[r["id"]])
major = {t: max(set(m), key=m.count) for t, m in members.items()}
rows = {major[int(r["theme"])]: r for r in csv.DictReader(open(d + "/compare.csv"))}
assert set(rows) == {"card_arrival", "exchange_rate", "apple_pay_or_google_pay", "pin_blocked"}, major
for r in rows.values():   # interval holds the difference; q >= p
    assert float(r["ci_low"]) <= float(r["diff"]) <= float(r["ci_high"]), r
    assert float(r["q"]) >= float(r["p"]) - 1e-12, r
    assert r["significant"] == ("1" if float(r["q"]) < 0.05 else "0"), r
# group_a is "interview": card_arrival is more in the survey
assert rows["card_arrival"]["significant"] == "1" and float(rows["card_arrival"]["diff"]) < 0
assert rows["exchange_rate"]["significant"] == "1" and float(rows["exchange_rate"]["diff"]) > 0
assert rows["apple_pay_or_google_pay"]["significant"] == "0"
j = json.load(open(d + "/themes.json"))
th = {major[t["id"]]: t for t in j["themes"]}
imp = th["apple_pay_or_google_pay"]["impact"]
assert imp["diff"] < -4 and imp["ci_high"] < 0, imp
assert th["card_arrival"]["impact"]["ci_low"] > 0
assert th["pin_blocked"]["trend"]["rising"] is True, th["pin_blocked"]["trend"]
assert not th["exchange_rate"]["trend"]["rising"]
# priority puts the theme that costs NPS first
assert j["insights"]["priority_order"][0] == th["apple_pay_or_google_pay"]["id"], j["insights"]["priority_order"]
PY

# A shift in one specific topic that its theme hides: "card_arrival" 3x
# more in the survey shares a theme with "activate_my_card", 3x more in the
# interviews, so the theme's share does not move, but the card_arrival
# sub-theme is flagged in the right direction in compare_subthemes.csv;
# the exchange sub-themes (even) are not. The sub-theme q-values are Benjamini-Hochberg over the
# sub-theme rows; without sub-themes the file is not written, and one an
# earlier run left is removed.
"$PY" - "$SHARED/corpora/banking77/train.csv" "$T/sub.csv" <<'PY'
import csv, random, sys
rng = random.Random(7)
keep = {"card_arrival": 0.75, "activate_my_card": 0.25, "exchange_rate": 0.5, "exchange_charge": 0.5}
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["category"] in keep]
w = csv.writer(open(sys.argv[2], "w", newline=""))
w.writerow(["id", "text", "group", "label"])
for i, r in enumerate(rows):
    w.writerow(["r%d" % i, r["text"], "survey" if rng.random() < keep[r["category"]] else "interview", r["category"]])
PY
"$B/tx-themes" -q -k 2 --subthemes 2 --seed 2 --group-col group --unit document "$T/sub.csv" --out "$T/s" || no "sub-theme comparison run failed"
"$PY" - "$T/sub.csv" "$T/s" <<'PY' && ok || no "sub-theme difference not found, or its q-values wrong"
import csv, json, sys
from collections import Counter
label = {r["id"]: r["label"] for r in csv.DictReader(open(sys.argv[1]))}
d = sys.argv[2]
theme_of, subs = {}, {}
for r in csv.DictReader(open(d + "/assignments.csv")):
    if int(r["subtheme"]) >= 0:
        subs.setdefault(int(r["subtheme"]), Counter())[label[r["id"]]] += 1
        theme_of[int(r["subtheme"])] = int(r["theme"])
major = {s: c.most_common(1)[0][0] for s, c in subs.items()}
rows = list(csv.DictReader(open(d + "/compare_subthemes.csv")))
assert len(rows) == len(subs), (rows, subs)
by = {}
for r in rows:
    s = int(r["subtheme"])
    assert int(r["theme"]) == theme_of[s], r
    by.setdefault(major[s], []).append(r)
arrival = by["card_arrival"]
assert all(r["significant"] == "1" and float(r["diff"]) < 0 for r in arrival), arrival
for lab in ("exchange_rate", "exchange_charge"):
    assert all(r["significant"] == "0" for r in by[lab]), by[lab]
# the card_arrival shift is hidden in its theme
card = {int(r["theme"]) for r in arrival}
for r in csv.DictReader(open(d + "/compare.csv")):
    if int(r["theme"]) in card:
        assert r["significant"] == "0", r
# Benjamini-Hochberg over the sub-theme rows
p = sorted((float(r["p"]), i) for i, r in enumerate(rows))
q, run = [0.0] * len(p), 1.0
for rank in range(len(p) - 1, -1, -1):
    run = min(run, p[rank][0] * len(p) / (rank + 1))
    q[p[rank][1]] = run
for r, want in zip(rows, q):
    assert abs(float(r["q"]) - want) <= 1e-3 * want + 1e-9, (r, want)
j = json.load(open(d + "/themes.json"))
assert j["insights"]["significant_subtheme_differences"] == sum(r["significant"] == "1" for r in rows)
g = j["themes"][0]["subthemes"][0]["groups"]
assert set(g) == {"interview", "survey"} and all(0 <= v["share"] <= 1 for v in g.values()), g
PY
grep -q '^| [0-9]*\. .*(in [0-9]*\. [^)]*) | interview vs survey' "$T/s/report.md" && grep -q '<h3>Sub-themes</h3>' "$T/s/report.html" &&
    ok || no "sub-theme differences missing from the reports"
# With more than 20 groups (a store column) the sub-themes are not
# compared, and the report says so.
"$PY" - "$T/sub.csv" "$T/stores.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
w = csv.writer(open(sys.argv[2], "w", newline=""))
w.writerow(["id", "text", "store"])
for i, r in enumerate(rows):
    w.writerow([r["id"], r["text"], "s%d" % (i % 25)])
PY
"$B/tx-themes" -q -k 2 --subthemes 2 --seed 2 --group-col store --unit document "$T/stores.csv" --out "$T/st" &&
    [ -e "$T/st/compare.csv" ] && [ ! -e "$T/st/compare_subthemes.csv" ] &&
    grep -q 'Sub-themes are compared with at most 20 groups; with 25' "$T/st/report.md" && ok ||
    no "sub-themes compared with 25 groups"
"$B/tx-themes" -q -k 2 --subthemes 0 --seed 2 --group-col group --unit document "$T/sub.csv" --out "$T/s" &&
    [ -e "$T/s/compare.csv" ] && [ ! -e "$T/s/compare_subthemes.csv" ] && ok ||
    no "compare_subthemes.csv left without sub-themes"

# One respondent counts once per theme; --unit document counts turns.
"$B/tx-themes" -q --seed 3 corpora/feedback.csv corpora/interviews --out "$T/r" &&
"$B/tx-themes" -q --seed 3 --unit document corpora/feedback.csv corpora/interviews --out "$T/d" || no "unit runs failed"
"$PY" - "$T/r/themes.json" "$T/d/themes.json" <<'PY' && ok || no "respondent unit"
import json, sys
r, d = (json.load(open(p)) for p in sys.argv[1:3])
assert r["insights"]["groups"]["interview"]["units"] == 2, r["insights"]["groups"]
assert d["insights"]["groups"]["interview"]["units"] == 7, d["insights"]["groups"]
assert r["insights"]["groups"]["survey"]["units"] == 70
for t in r["themes"]:
    g = t["groups"].get("interview")
    if g: assert g["units"] <= 2 and g["units"] <= g["n"]
PY
head -1 "$T/r/compare.csv" | grep -qx 'theme,group_a,group_b,share_a,share_b,diff,ci_low,ci_high,p,q,significant' && ok || no "compare.csv header"
[ "$(($(wc -l < "$T/r/compare.csv") - 1))" = "$("$PY" -c "import json,sys; print(json.load(open(sys.argv[1]))['k'])" "$T/r/themes.json")" ] && ok || no "compare.csv rows: one per theme for two groups"
"$B/tx-themes" -q corpora/feedback.csv --out "$T/one" && [ ! -e "$T/one/compare.csv" ] && ok || no "compare.csv written with one group"

# The HTML report in a real browser.
"$B/tx-themes" -q --causes --seed 3 --outcome-col nps --stage-col stage corpora/feedback.csv corpora/interviews --out "$T/h" || no "html run failed"
cp "$T/p/report.html" "$T/trend.html"
H=$T/h/report.html
grep -qiE '<script|https?://|<link|<img|@import' "$H" "$T/trend.html" && no "report.html is not self-contained" || ok
if command -v chromium > /dev/null; then
    for page in "$H" "$T/trend.html"; do
        timeout 120 chromium --headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0 \
            --window-size=1200,3000 --screenshot="$T/shot.png" "file://$page" 2> "$T/log" > /dev/null
        [ -s "$T/shot.png" ] && [ "$(wc -c < "$T/shot.png")" -gt 20000 ] && ok || no "no screenshot of $page"
        grep -E 'CONSOLE|Uncaught|net::ERR|Failed to load' "$T/log" && no "console errors in $page" || ok
        timeout 120 chromium --headless --no-sandbox --disable-gpu --dump-dom "file://$page" 2> /dev/null > "$T/dom.html"
        cp "$T/dom.html" "$T/dom_$(basename "$page")"
        rm -f "$T/shot.png"
    done
    for c in chart-sizes chart-compare chart-journey chart-causes; do
        grep -q "class=\"chart $c\"" "$T/dom_report.html" && ok || no "chart $c missing from the rendered page"
    done
    grep -q 'class="chart chart-trends"' "$T/dom_trend.html" && ok || no "trend chart missing"
    "$PY" - "$T/dom_report.html" <<'PY' && ok || no "charts are empty"
import re, sys
dom = open(sys.argv[1]).read()
for c in ("chart-sizes", "chart-compare", "chart-journey", "chart-causes"):
    svg = re.search(r'<svg class="chart %s".*?</svg>' % c, dom, re.S).group(0)
    assert len(re.findall(r"<(rect|circle|line)", svg)) >= 3, c
PY
else
    no "chromium is not installed (apt-get install chromium)"
fi

# Stage and time values that name no stage or date are counted and said,
# not silently replaced.
printf 'id,text,stage,when\n1,card late again,billing,2024-01\n2,card lost again,payday,2024-02\n3,app slow again,onboarding,soon\n4,app crash again,support,2024-02\n' > "$T/st.csv"
"$B/tx-themes" -q --min-df 1 --stage-col stage --time-col when "$T/st.csv" --out "$T/st" &&
    "$PY" -c "
import json, sys
i = json.load(open(sys.argv[1] + '/themes.json'))['insights']
assert i['stage_not_stages'] == 1 and i['time_not_dates'] == 1, i
r = open(sys.argv[1] + '/report.md').read()
assert '1 document has a stage value that names no stage' in r
assert '1 document has a time value that is not a date' in r" "$T/st" && ok || no "unknown stage and time values"

# Customer text is untrusted: in report.md it stays text in any Markdown
# viewer (no raw HTML, no emphasis or table breaks), as in report.html.
"$PY" -c "
import csv, sys
w = csv.writer(open(sys.argv[1], 'w', newline=''))
w.writerow(['id', 'text', 'grp'])
rows = ['<script>alert(1)</script> card late again', 'card | late | pipes again',
        '<img src=x onerror=alert(1)> refund slow again', 'refund **bold** slow again']
for i, t in enumerate(rows * 3):
    w.writerow([f'<b>{i}</b>', t, '<i>g</i>' if i % 2 else 'a|b'])" "$T/xss.csv"
"$B/tx-themes" -q --min-df 1 --group-col grp "$T/xss.csv" --out "$T/xss" &&
    ! grep -q '<script\|<img\|<b>\|<i>' "$T/xss/report.md" &&
    grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$T/xss/report.md" &&
    grep -q 'refund \\\*\\\*bold\\\*\\\* slow' "$T/xss/report.md" &&
    ! grep -q '<script\|<img' "$T/xss/report.html" && ok || no "untrusted text escaped in the reports"

# Many groups (a store or agent column): compare.csv has every pair, but
# report.html draws charts only for the 15 pairs with the most significant
# differences (400 groups once took more than ten minutes and over 100 MB
# of HTML at 100 groups). Here 10 groups, each mostly from its own intents.
"$PY" - "$SHARED/corpora/banking77/test.csv" "$T/many.csv" <<'PY'
import csv, random, sys
rng = random.Random(3)
rows = list(csv.DictReader(open(sys.argv[1])))
cats = sorted({r["category"] for r in rows})
w = csv.writer(open(sys.argv[2], "w", newline=""))
w.writerow(["id", "text", "store"])
for i, r in enumerate(rows):
    g = cats.index(r["category"]) % 10 if rng.random() < 0.8 else rng.randrange(10)
    w.writerow([i, r["text"], "store%d" % g])
PY
"$B/tx-themes" -q -k 20 --group-col store "$T/many.csv" --out "$T/many" || no "many groups run failed"
"$PY" - "$T/many" <<'PY' && ok || no "many groups: compare.csv rows or report.html charts"
import csv, re, sys
d = sys.argv[1]
rows = list(csv.DictReader(open(d + "/compare.csv")))
assert len(rows) == 20 * 45, len(rows)
sig = {}
for r in rows:
    if r["significant"] == "1":
        pair = (r["group_a"], r["group_b"])
        sig[pair] = sig.get(pair, 0) + 1
html = open(d + "/report.html").read()
charts = re.findall(r"<h3>(store\d+) vs (store\d+)</h3>", html)
assert len(sig) > 15 and len(charts) == 15, (len(sig), len(charts))
assert "10 groups make 45 pairs: charts for the 15 with" in html
# the charted pairs are those with the most significant differences
drawn = sorted(sig.get(p, 0) for p in charts)
left = sorted(v for p, v in sig.items() if p not in charts)
assert drawn[0] >= left[-1], (drawn, left[-3:])
PY

echo "insights: $pass passed, $fail failed"
[ $fail = 0 ]
