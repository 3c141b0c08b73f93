#!/bin/sh
# tx-causes and the cause detector as users rely on them: the shipped model
# is what `make models` builds, causes and symptoms found in feedback
# written for the project, denied and temporal cues, byte offsets that
# point at the text, determinism, the root-cause map, and bad input.
B=${1:-build}; PY=${2:-/usr/bin/python3}
SHARED=${TX_SHARED:-../shared}
CNC=$SHARED/corpora/causal_news_corpus/V2
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
pass=0; fail=0
ok() { pass=$((pass+1)); }
no() { fail=$((fail+1)); echo "FAIL causes: $1"; }
export LIBTEXT_CAUSES_MODEL=models/causes.h5

# The shipped model is exactly what models/train-causes.sh builds today.
models/train-causes.sh "$B" "$PY" "$T/retrained.h5" 2> /dev/null || no "training failed"
"$PY" - "$T/retrained.h5" models/causes.h5 <<'PY' && ok || no "models/causes.h5 is not what 'make models' builds: run make models"
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
def same(x, y):
    for k in x.attrs:
        if k != "libtext_version" and not np.array_equal(x.attrs[k], y.attrs.get(k)):
            return False
    for k in x:
        if isinstance(x[k], h5py.Group):
            if k not in y or not same(x[k], y[k]): return False
        elif k not in y or not np.array_equal(x[k][()], y[k][()]):
            return False
    return set(x) == set(y)
sys.exit(0 if same(a, b) else 1)
PY

# Feedback written for the project, causes and effects marked by hand: the
# floor is on heldout.csv, which no rule was tuned on (marked.csv and
# dev.csv were); the marked set still runs for the offsets check below.
"$PY" bench/causes_domain.py plain corpora/causes/marked.csv "$T/marked.csv"
"$B/tx-causes" -q --no-themes "$T/marked.csv" --out "$T/m" || no "run on corpora/causes failed"
"$PY" bench/causes_domain.py plain corpora/causes/heldout.csv "$T/heldout.csv"
"$B/tx-causes" -q --no-themes "$T/heldout.csv" --out "$T/h" || no "run on heldout.csv failed"
"$PY" bench/causes_domain.py score corpora/causes/heldout.csv "$T/h/spans.csv" "$T/h/sentences.csv" --min-f1 0.90 > "$T/score" && ok ||
    { no "detection on corpora/causes/heldout.csv"; cat "$T/score"; }
awk '/^cause/ { exit !($3 >= 0.70) }' "$T/score" && ok || { no "cause spans on heldout.csv"; cat "$T/score"; }

# Real customer sentences (corpora/causes/real, text read from ../shared):
# a floor under the test split, which nothing was tuned on
# (bench/causes.sh reports the figures).
"$PY" bench/causes_real.py text "$SHARED" corpora/causes/real/labels.csv test "$T/real.csv" &&
"$B/tx-causes" -q --whole --no-themes "$T/real.csv" --out "$T/real" &&
"$PY" bench/causes_real.py score "$SHARED" corpora/causes/real/labels.csv test "$T/real/sentences.csv" "$T/real/spans.csv" > "$T/rscore" || no "real-text run failed"
awk '/^sentences/ { exit !($NF >= 0.70) }' "$T/rscore" && ok || { no "real-text test split: sentence F1 below 0.70"; cat "$T/rscore"; }
awk '/^cause spans/ { exit !($NF >= 0.38) }' "$T/rscore" && ok || { no "real-text test split: cause span F1 below 0.38"; cat "$T/rscore"; }

# The shipped model decides complaints with its classifier; complaint
# labels other than 0 and 1 are refused with the file and line.
"$PY" -c "import h5py, sys; sys.exit(0 if 'complaint_classifier' in h5py.File('models/causes.h5', 'r') else 1)" && ok ||
    no "models/causes.h5 has no complaint classifier"
printf 'text,label\nthe app crashed,1\nlovely staff,2\n' > "$T/badc.csv"
"$B/tx-train-causes" --sentences "$CNC/train_subtask1.csv" --spans "$CNC/train_subtask2.csv" \
    --complaints "$T/badc.csv" -o "$T/badc.h5" 2> "$T/err"; rc=$?
[ $rc = 1 ] && grep -q 'badc.csv:3: the label must be 0 or 1' "$T/err" && [ ! -e "$T/badc.h5" ] && ok ||
    no "bad complaint label: rc $rc, $(cat "$T/err")"
printf 'text,label\nthe app crashed,1\nit broke again,1\n' > "$T/onec.csv"
"$B/tx-train-causes" --sentences "$CNC/train_subtask1.csv" --spans "$CNC/train_subtask2.csv" \
    --complaints "$T/onec.csv" -o "$T/onec.h5" 2> "$T/err"; rc=$?
[ $rc = 1 ] && grep -q 'complaints: 2 usable labels, 2 of them 1; the complaint classifier needs' "$T/err" && [ ! -e "$T/onec.h5" ] && ok ||
    no "complaint labels of one class: rc $rc, $(cat "$T/err")"

# Cases a user relies on: both orders, forward cues, denied and temporal
# cues, shorthand ("bc", "cuz"), "so" of degree and of purpose, a result
# of a degree ("so small that"), a cause with no cue, a habit, "since"
# counting time, "after" of time, thanks, causing verbs, "the reason".
"$B/tx-causes" -q --no-themes tests/data/causes_cases.csv --out "$T/c" || no "cases run failed"
"$PY" - tests/data/causes_cases.csv "$T/c/spans.csv" <<'PY' && ok || no "cause/effect of the written cases"
import csv, sys
want = {r["id"]: r for r in csv.DictReader(open(sys.argv[1]))}
got = {}
for r in csv.DictReader(open(sys.argv[2])):
    got.setdefault(r["id"], {}).setdefault(r["kind"], r["text"].rstrip(". "))
bad = 0
for i, w in want.items():
    g = got.get(i, {})
    if g.get("cause", "") != w["cause"] or (w["effect"] and g.get("symptom", g.get("effect", "")) != w["effect"]):
        print("  %s: want cause %r effect %r, got %r" % (i, w["cause"], w["effect"], g)); bad = 1
sys.exit(bad)
PY
grep -q '^since_time,1,0$' "$T/c/sentences.csv" && grep -q '^since_time,1,symptom,' "$T/c/spans.csv" && ok ||
    no "temporal since is a symptom, not a cause"
grep -q '^praise,' "$T/c/spans.csv" && no "praise reported as a symptom" || ok

# Several relations in one sentence (--relations): further ones share the
# sentence's number, sentences.csv still lists each sentence once.
"$B/tx-causes" -q --no-themes --no-rules --whole --relations 3 --id-col index "$CNC/dev_subtask1.csv" --out "$T/rel" || no "relations run failed"
"$PY" - "$T/rel" <<'PY' && ok || no "several relations per sentence"
import csv, sys, collections
d = sys.argv[1]
sents = [(r["id"], r["sentence"]) for r in csv.DictReader(open(d + "/sentences.csv"))]
assert len(sents) == len(set(sents)) == 340, len(sents)
causes = collections.Counter((r["id"], r["sentence"]) for r in csv.DictReader(open(d + "/spans.csv")) if r["kind"] == "cause")
assert all(s == "1" for _, s in causes), "whole documents have one sentence"
assert max(causes.values()) >= 2 and max(causes.values()) <= 3, causes.most_common(3)
# without the rules, each relation is one effect and one cause that do
# not overlap (the span tagger decodes them as a pair; the cause is
# dropped when its cue is denied or a time, "since Monday")
rel, pairs = {}, []
for r in csv.DictReader(open(d + "/spans.csv")):
    key = (r["id"], r["sentence"])
    cur = rel.get(key)
    if cur is None or r["kind"] in cur:
        cur = rel[key] = {}
        pairs.append(cur)
    cur[r["kind"]] = (int(r["start"]), int(r["end"]))
causal = {(r["id"], r["sentence"]) for r in csv.DictReader(open(d + "/sentences.csv")) if r["causal"] == "1"}
assert causal and causal <= set(rel), len(causal - set(rel))
assert sum("cause" in p for p in pairs) > 0.8 * len(pairs)
for p in pairs:
    assert "symptom" in p or "effect" in p, p
    (a, b), (c, e) = p.get("cause", (0, 1)), p.get("symptom", p.get("effect"))
    assert a < b and c < e and (b <= c or e <= a or "cause" not in p), p
PY

# An effect is a symptom only when the sentence is a complaint: "I ordered
# this because the reviews were outstanding" states an effect and a cause,
# and neither is part of the root-cause map.
printf 'id,text\n1,I ordered this dress because the reviews were outstanding.\n2,My card was declined because the bank froze my account.\n3,I bought a second one because it fits so well.\n4,I had to call three times because nobody told me the card needs activating.\n' > "$T/eff.csv"
"$B/tx-causes" -q --no-themes "$T/eff.csv" --out "$T/eff" || no "effects run failed"
[ "$(cut -d, -f1,3 "$T/eff/spans.csv" | tr '\n' ' ')" = "id,kind 1,effect 1,cause 2,symptom 2,cause 3,effect 3,cause 4,symptom 4,cause " ] && ok ||
    no "effect and symptom kinds: $(cut -d, -f1,3 "$T/eff/spans.csv" | tr '\n' ' ')"

# Another language is said, not guessed at: its documents are listed with
# no causes and no complaint, and the tool names how many. All-caps and
# unpunctuated tweets are read like any other text.
printf 'id,text\n1,"Die Lieferung kam zu spät, weil der Fahrer krank war."\n2,"La entrega llegó tarde porque el conductor estaba enfermo."\n3,MY FLIGHT WAS CANCELLED BECAUSE OF THE STORM\n4,my flight was cancelled bc of the storm and nobody called me\n' > "$T/lang.csv"
"$B/tx-causes" --whole --no-themes "$T/lang.csv" --out "$T/lang" 2> "$T/err" || no "languages run failed"
grep -q '2 documents read as another language than English.*no causes' "$T/err" && ok || no "other languages not named: $(cat "$T/err")"
[ "$(cut -d, -f1,3 "$T/lang/spans.csv" | tr '\n' ' ')" = "id,kind 3,symptom 3,cause 4,symptom 4,cause " ] &&
    grep -q '^3,1,cause,[0-9]*,[0-9]*,THE STORM,' "$T/lang/spans.csv" && ok ||
    no "languages, caps, no punctuation: $(cat "$T/lang/spans.csv")"

# The learned relations on CNC dev, scored as the shared task scores them
# (bench/causes.sh reports the figure; 0.511 when this test was written):
# a floor under the span F1, so that a change to the signal, the near
# signals or the span decoder that loses relations is caught.
"$B/tx-causes" -q --no-themes --no-rules --whole --cue-spans --relations 3 --threshold 0 --id-col index \
    "$CNC/dev_subtask2_grouped.csv" --out "$T/s2" &&
"$PY" -c "
import sys; sys.path.insert(0, 'bench'); import causes_eval as c
r = c.subtask2('$CNC', '$T/s2/spans.csv')['overall'][2]
sys.exit(0 if r >= 0.49 else print('span F1', r) or 1)" && ok || no "CNC dev span F1 below 0.49"

# Byte offsets point at the span text in the document.
"$PY" - "$T/marked.csv" "$T/m/spans.csv" <<'PY' && ok || no "offsets do not match span text"
import csv, sys
docs = {r["id"]: r["text"].encode() for r in csv.DictReader(open(sys.argv[1]))}
for r in csv.DictReader(open(sys.argv[2])):
    s, e = int(r["start"]), int(r["end"])
    if not (0 <= s < e <= len(docs[r["id"]])) or docs[r["id"]][s:e].decode() != r["text"]:
        print("  ", r); sys.exit(1)
PY

# The default corpus: all four files, deterministic for any thread count.
"$B/tx-causes" -q --threads 1 corpora/feedback.csv corpora/interviews --out "$T/d1" &&
"$B/tx-causes" -q --threads 2 corpora/feedback.csv corpora/interviews --out "$T/d2" || no "default corpus run failed"
for f in spans.csv sentences.csv links.csv report.md; do
    cmp -s "$T/d1/$f" "$T/d2/$f" && ok || no "$f differs between 1 and 2 threads"
done
"$PY" - "$T/d1" <<'PY' && ok || no "default corpus outputs"
import csv, sys
d = sys.argv[1]
sents = list(csv.DictReader(open(d + "/sentences.csv")))
links = list(csv.DictReader(open(d + "/links.csv")))
ids = {r["id"] for r in sents}
assert len(ids) == 77, len(ids)                  # every document
assert any(r["causal"] == "1" for r in sents)
assert links and all(0 < float(r["share"]) <= 1 for r in links)
per = {}
for r in links:
    per[r["symptom_theme"]] = per.get(r["symptom_theme"], 0) + float(r["share"])
assert all(abs(v - 1) < 0.01 for v in per.values()), per   # shares add up
assert "No stated cause" in open(d + "/report.md").read()
PY

# Bad input: a missing, damaged or other-version model names the file and the fix.
"$B/tx-causes" --model "$T/none.h5" corpora/feedback.csv --out "$T/x" 2> "$T/err"; rc=$?
[ $rc = 1 ] && grep -q 'none.h5.*make models' "$T/err" && ok || no "missing model: rc $rc, $(cat "$T/err")"
head -c 5000 /dev/urandom > "$T/junk.h5"
"$B/tx-causes" --model "$T/junk.h5" corpora/feedback.csv --out "$T/x" 2> "$T/err"; rc=$?
[ $rc = 1 ] && grep -q 'junk.h5.*make models' "$T/err" && ok || no "damaged model: rc $rc, $(cat "$T/err")"
cp models/causes.h5 "$T/old.h5"
"$PY" -c "import h5py,sys; f=h5py.File(sys.argv[1],'a'); f.attrs['libtext_causes_format']=99" "$T/old.h5"
"$B/tx-causes" --model "$T/old.h5" corpora/feedback.csv --out "$T/x" 2> "$T/err"; rc=$?
[ $rc = 1 ] && grep -q 'format 99.*make models' "$T/err" && ok || no "other-version model: rc $rc, $(cat "$T/err")"
[ ! -e "$T/x/spans.csv" ] && ok || no "output written despite a bad model"
cp models/causes.h5 "$T/nan.h5"
"$PY" -c "import h5py,sys,numpy as np; f=h5py.File(sys.argv[1],'a'); t=f['span_tagger/transitions']; d=t[()]; d[0]=np.nan; t[...]=d" "$T/nan.h5"
"$B/tx-causes" --model "$T/nan.h5" corpora/feedback.csv --out "$T/x" 2> "$T/err"; rc=$?
[ $rc = 1 ] && grep -q 'nan.h5: damaged cause model' "$T/err" && ok || no "NaN in the cause model: rc $rc, $(cat "$T/err")"
# The held-out quality a model records is optional: a model without it
# (written by other code) still detects.
cp models/causes.h5 "$T/noq.h5"
"$PY" -c "import h5py,sys; f=h5py.File(sys.argv[1],'a'); [f.attrs.__delitem__(k) for k in ('oof_precision','oof_recall','oof_f1')]" "$T/noq.h5"
"$B/tx-causes" -q --model "$T/noq.h5" corpora/feedback.csv --out "$T/noq" && [ -s "$T/noq/spans.csv" ] &&
    ok || no "a model without its held-out quality"
# Run from another folder, the tool finds the checkout's model beside its
# build folder; a copy of it with no model anywhere says where it looked.
cp corpora/feedback.csv "$T/fb.csv"; TOOL=$(cd "$B" && pwd)/tx-causes
(cd "$T" && env -u LIBTEXT_CAUSES_MODEL "$TOOL" -q fb.csv --out "$T/elsewhere") &&
    [ -s "$T/elsewhere/spans.csv" ] && ok || no "model not found from another folder"
mkdir -p "$T/bin"; cp "$TOOL" "$T/bin/"
(cd "$T" && env -u LIBTEXT_CAUSES_MODEL LD_LIBRARY_PATH="$(cd "$B" && pwd)" "$T/bin/tx-causes" -q fb.csv --out "$T/nomodel") 2> "$T/err"; rc=$?
[ $rc = 1 ] && grep -q "no cause model found.*$T/bin/../models/causes.h5.*make models" "$T/err" && ok || no "no model anywhere: rc $rc, $(cat "$T/err")"
# Hostile text: 10,000 and 500,000 words in one sentence, no spaces, nested
# quotes, markup. The second must finish in seconds: a per-word scan of the
# sentence once made it take hours (the timeout is for a hang, not a speed
# target).
"$PY" - "$T/hostile.csv" <<'PY'
import csv, sys
w = csv.writer(open(sys.argv[1], "w", newline=""))
w.writerow(["id", "text"])
w.writerow(["long", " ".join(["the app crashed because the update broke it"] * 1250)])
w.writerow(["nospace", "x" * 60000])
w.writerow(["huge", "the app crashed because " + "the update broke it and " * 125000])
w.writerow(["quotes", 'He said "she said \'it broke "because" of the \'update\'\'" ok'])
w.writerow(["markup", "<p>The app <b>crashed</b> because of <i>the update</i></p><br/>"])
w.writerow(["emoji", "\U0001F621\U0001F621 because \U0001F4A9 update"])
PY
timeout 300 "$B/tx-causes" -q "$T/hostile.csv" --out "$T/h" && ok || no "hostile text run failed or hung"
# Without the rules every further relation is tried, each tagging the whole
# sentence again: at most 16 of them, or "broke" 125,000 times would hang.
timeout 300 "$B/tx-causes" -q --no-rules --whole --relations 3 "$T/hostile.csv" --out "$T/h3" &&
    ok || no "hostile text, several relations: failed or hung"
[ "$(cut -d, -f1 "$T/h/sentences.csv" | sort -u | wc -l)" = 7 ] && ok || no "hostile rows lost"
grep -q '^markup,1,cause,.*the update' "$T/h/spans.csv" && ok || no "cause inside markup"

# Training data: a label other than 0/1 stops with the line; a row whose
# mark-up does not pair up is skipped and named; the rest still trains.
printf 'index,text,label\n1,the app crashed because of the update,1\n2,all fine,0\n3,bad label,7\n' > "$T/s1.csv"
"$B/tx-train-causes" --sentences "$T/s1.csv" --spans "$CNC/train_subtask2.csv" -o "$T/m1.h5" 2> "$T/err"; rc=$?
[ $rc = 1 ] && grep -q 's1.csv:4: the label must be 0 or 1' "$T/err" && [ ! -e "$T/m1.h5" ] && ok || no "bad label: rc $rc, $(cat "$T/err")"
head -3 "$T/s1.csv" > "$T/s1ok.csv"
{ head -1 "$CNC/train_subtask2.csv"; sed -n 2,40p "$CNC/train_subtask2.csv"
  echo 'cnc,x,1,0,x1,"a b","<ARG1>a</ARG0> b",1,1,,1'; } > "$T/s2.csv"
"$B/tx-train-causes" --sentences "$T/s1ok.csv" --spans "$T/s2.csv" -o "$T/m2.h5" 2> "$T/err" &&
    grep -q 's2.csv:41: row skipped: mark-up tags not opened and closed in pairs' "$T/err" && [ -s "$T/m2.h5" ] &&
    ok || no "broken mark-up: $(cat "$T/err")"

echo "causes: $pass passed, $fail failed"
[ $fail = 0 ]
