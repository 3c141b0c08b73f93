"""Writes the real-feedback corpora of ../shared/corpora as CSVs that libtext
and scikit-learn read alike, in OUTDIR:
  NAME.csv       id,text,broad,label   (two levels; one-level corpora have
                                        broad == label)
  NAME.multi.csv id,text,labels        (multi-aspect: labels joined by ';')
Each corpus is split into dev (rows whose id hashes even; methods may be
tuned on them) and test (odd; measured, never tuned on): NAME.dev.csv and
NAME.test.csv hold the same columns. The split is by a hash of the text, so
it does not depend on file order.
usage: prepare_feedback.py SHARED_CORPORA OUTDIR"""
import csv, glob, hashlib, os, re, sys
import xml.etree.ElementTree as ET

src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)


def is_test(text):
    return hashlib.sha1(text.encode("utf-8")).digest()[0] & 1


def write(name, header, rows):
    seen, kept = set(), []
    for r in rows:
        if r[0].strip() and r[0] not in seen:  # duplicates would leak across splits
            seen.add(r[0])
            kept.append(r)
    for suffix, pick in (("", lambda t: True), (".dev", lambda t: not is_test(t)),
                         (".test", lambda t: is_test(t))):
        with open(os.path.join(out, name + suffix + ".csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["id"] + header)
            for i, r in enumerate(kept):
                if pick(r[0]):
                    w.writerow([f"{name.split('.')[0]}-{i + 1}"] + list(r))


# twitter_airline: negative tweets, labelled by their reason (one level);
# "Can't Tell" says nothing about the topic and is left out.
rows = []
with open(os.path.join(src, "twitter_airline", "Tweets.csv"), newline="", encoding="utf-8") as f:
    for r in csv.DictReader(f):
        if r["airline_sentiment"] == "negative" and r["negativereason"] not in ("", "Can't Tell"):
            rows.append((r["text"], r["negativereason"], r["negativereason"]))
write("twitter_airline", ["text", "broad", "label"], rows)

# hwu64: scenario -> scenario_intent, train and test folds together.
rows = []
for path in sorted(glob.glob(os.path.join(src, "hwu64", "KFold_1", "*", "*.csv")) +
                   glob.glob(os.path.join(src, "hwu64", "KFold_1", "*", "csv", "*.csv"))):
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter=";"):
            rows.append((r["answer_from_user"] or r["answer_from_anno"], r["scenario"],
                         r["scenario"] + "_" + r["intent"]))
write("hwu64", ["text", "broad", "label"], rows)

# bitext: category -> intent.
rows = []
with open(os.path.join(src, "bitext_customer_support",
                       "20000-Utterances-Training-dataset-for-chatbots-virtual-assistant-Bitext-sample.csv"),
          newline="", encoding="utf-8-sig") as f:
    for r in csv.DictReader(f):
        rows.append((r["utterance"], r["category"], r["intent"]))
write("bitext", ["text", "broad", "label"], rows)

# review_issues: product -> product/aspect; the POS lists and <i> marks go.
rows = []
for path in sorted(glob.glob(os.path.join(src, "review_issues", "*", "*.txt"))):
    dom, asp = path.split(os.sep)[-2], os.path.basename(path)[:-4]
    for line in open(path, encoding="utf-8", errors="replace"):
        t = re.sub(r"(\s*\[[^\]]*\]){1,2}\s*$", "", line.strip())
        t = re.sub(r"\s+", " ", t.replace("<i>", " ")).strip()
        if t:
            rows.append((t, dom, dom + "/" + asp))
write("review_issues", ["text", "broad", "label"], rows)

# Multi-aspect sentences: SemEval-2014 restaurants and MAMS.
for name, files in (("semeval14", ["semeval14_restaurants/Restaurants_Train_v2.xml",
                                   "semeval14_restaurants/Restaurants_Test_Gold.xml"]),
                    ("mams", ["mams_acsa/train.xml", "mams_acsa/val.xml", "mams_acsa/test.xml"])):
    rows = []
    for fn in files:
        for s in ET.parse(os.path.join(src, fn)).getroot().iter("sentence"):
            cats = sorted({c.get("category") for c in s.iter("aspectCategory")})
            cats = [c for c in cats if c not in ("anecdotes/miscellaneous", "miscellaneous")]
            if cats:
                rows.append((s.find("text").text or "", ";".join(cats)))
    write(name + ".multi", ["text", "labels"], rows)
