#!/usr/bin/env python3
"""Real customer sentences labelled for stated causes (corpora/causes/real/).

The text stays in ../shared/corpora; the label files hold only pointers
(corpus, source file, row, byte offsets into the row's text) and the labels.

usage:
  causes_real.py draw SHARED OUT.csv           the seeded draw (pointers only)
  causes_real.py show SHARED DRAW.csv          key and sentence, to label by hand
  causes_real.py resolve SHARED DRAW.csv NOTES OUT.csv
                                               hand notes (key|causal|cue|cause|effect|complaint,
                                               spans written as text) -> offsets
  causes_real.py text SHARED LABELS.csv SPLIT OUT.csv
                                               the sentences of one split (dev, test, all)
                                               as id,text for tx-causes
  causes_real.py kappa SHARED PASS_A.csv PASS_B.csv
  causes_real.py score SHARED LABELS.csv SPLIT SENTENCES.csv SPANS.csv
  causes_real.py baselines SHARED LABELS.csv CNC_DIR
                                               scikit-learn LR and the cue list, same splits

A document is one row of a corpus, read as documents() reads it; offsets are
UTF-8 byte offsets into that text. A sentence's split is fixed by a hash of
its key: half dev (tuned on), half test (only measured).
"""
import csv
import glob
import hashlib
import json
import os
import random
import re
import sys
import xml.etree.ElementTree as ET

csv.field_size_limit(1 << 30)
SEED = 20261204
PER_CORPUS = 90
CORPORA = ["twitter_airline", "complaints_xci", "review_issues", "semeval14_restaurants",
           "mams_acsa", "twitter_customer_care_cdp", "explainit_hotel"]
# Words that may signal a cause, broadly: half of each corpus's draw is taken
# from sentences holding one, so the sample has enough causal sentences and
# the hard negatives ("so cute", "since Monday", "as a gift").
CUE = re.compile(r"\b(because|bc|b/c|cuz|coz|cos|since|so|as|due|cause[sd]?|caus\w+|reason\w*|"
                 r"thanks to|therefore|hence|result\w*|made|make[s]?|making|after|why|"
                 r"led to|leads? to|owing|thus)\b", re.I)


def documents(shared):
    """(corpus, source, row, text) of every document, in a fixed order."""
    c = os.path.join(shared, "corpora")
    with open(os.path.join(c, "twitter_airline", "Tweets.csv"), newline="", encoding="utf-8") as f:
        for i, r in enumerate(csv.DictReader(f)):
            yield "twitter_airline", "Tweets.csv", i, r["text"]
    with open(os.path.join(c, "complaints_xci", "X-CI Dataset.csv"), newline="", encoding="utf-8") as f:
        for i, r in enumerate(csv.DictReader(f)):
            yield "complaints_xci", "X-CI Dataset.csv", i, r["tweet"]
    for path in sorted(glob.glob(os.path.join(c, "review_issues", "*", "*.txt"))):
        src = os.path.relpath(path, os.path.join(c, "review_issues"))
        for i, line in enumerate(open(path, encoding="utf-8", errors="replace")):
            t = re.sub(r"(\s*\[[^\]]*\]){1,2}\s*$", "", line.strip())
            yield "review_issues", src, i, re.sub(r"\s+", " ", t.replace("<i>", " ")).strip()
    for corpus, files in (("semeval14_restaurants", ["Restaurants_Train_v2.xml", "Restaurants_Test_Gold.xml"]),
                          ("mams_acsa", ["train.xml", "val.xml", "test.xml"])):
        for fn in files:
            for i, s in enumerate(ET.parse(os.path.join(c, corpus, fn)).getroot().iter("sentence")):
                yield corpus, fn, i, s.find("text").text or ""
    for fn in ("dev.json", "test.json"):
        for i, conv in enumerate(json.load(open(os.path.join(c, "twitter_customer_care_cdp", fn), encoding="utf-8"))):
            msgs = [t["message"] for t in conv["dialogContent"] if "client" in t]
            yield "twitter_customer_care_cdp", fn, i, msgs[0] if msgs else ""
    for fn in ("train", "dev", "test"):
        path = os.path.join(c, "explainit_hotel", "explanation_mining", "data", fn)
        for i, line in enumerate(open(path, encoding="utf-8")):
            yield "explainit_hotel", fn, i, line.rstrip("\n").split("\t")[2]


def sentences(text):
    """Byte ranges of the sentences of text: cut after . ! ? (or a line
    break) followed by white space."""
    b = text.encode("utf-8")
    start = 0
    for m in re.finditer(rb"[.!?]+[\"')]*\s+|\n+", b):
        yield start, m.end()
        start = m.end()
    yield start, len(b)


def trim(b, s, e):
    while s < e and b[s:s + 1].isspace():
        s += 1
    while e > s and b[e - 1:e].isspace():
        e -= 1
    return s, e


def split_of(key):
    return "test" if hashlib.sha1(key.encode()).digest()[0] & 1 else "dev"


def doc_index(shared):
    return {(c, s, r): t.encode("utf-8") for c, s, r, t in documents(shared)}


def draw(shared, out):
    pools = {c: ([], []) for c in CORPORA}
    seen = set()
    for corpus, src, row, text in documents(shared):
        b = text.encode("utf-8")
        for s, e in sentences(text):
            s, e = trim(b, s, e)
            sent = b[s:e].decode("utf-8", "replace")
            n = len(sent.split())
            if n < 4 or n > 80 or sent.lower() in seen:
                continue
            seen.add(sent.lower())
            pools[corpus][0 if CUE.search(sent) else 1].append((corpus, src, row, s, e))
    rng = random.Random(SEED)
    rows = []
    for corpus in CORPORA:
        cued, plain = pools[corpus]
        take = rng.sample(cued, PER_CORPUS // 2) + rng.sample(plain, PER_CORPUS - PER_CORPUS // 2)
        rows += take
    rng.shuffle(rows)
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["key", "corpus", "source", "row", "start", "end", "split"])
        for i, (corpus, src, row, s, e) in enumerate(rows):
            key = "r%03d" % (i + 1)
            w.writerow([key, corpus, src, row, s, e, split_of(key)])


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def sentence_text(docs, r):
    return docs[(r["corpus"], r["source"], int(r["row"]))][int(r["start"]):int(r["end"])].decode("utf-8")


def show(shared, draw_csv):
    docs = doc_index(shared)
    for r in read(draw_csv):
        print("%s\t%s" % (r["key"], sentence_text(docs, r).replace("\n", " ")))


def occurrences(b, span, s0, e0):
    """(start, length) of each place span occurs in b[s0:e0] as whole words."""
    if not span:
        return []
    t = span.encode("utf-8")
    out, at = [], b.find(t, s0, e0)
    while at >= 0:
        before = b[at - 1:at] if at > s0 else b" "
        after = b[at + len(t):at + len(t) + 1] if at + len(t) < e0 else b" "
        if not (before.isalnum() and t[:1].isalnum()) and not (after.isalnum() and t[-1:].isalnum()):
            out.append((at, len(t)))
        at = b.find(t, at + 1, e0)
    return out


def resolve(shared, draw_csv, notes, out):
    """Notes: key|causal|cue|cause|effect|complaint, spans as the exact text
    of the sentence (empty when not stated)."""
    docs = doc_index(shared)
    drawn = {r["key"]: r for r in read(draw_csv)}
    rows, bad = {}, 0
    for line in open(notes, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        f = line.split("|")
        if len(f) != 6 or f[0] not in drawn:
            print("bad note: %s" % line, file=sys.stderr)
            bad += 1
            continue
        key, causal, cue, cause, effect, complaint = f
        r = drawn[key]
        b = docs[(r["corpus"], r["source"], int(r["row"]))]
        s0, e0 = int(r["start"]), int(r["end"])
        out_row = dict(r, causal=int(causal), complaint=int(complaint))
        found = {}
        for name, span in (("cue", cue), ("cause", cause), ("effect", effect)):
            found[name] = occurrences(b, span, s0, e0)
            if span and not found[name]:
                print("%s: %s %r not in the sentence" % (key, name, span), file=sys.stderr)
                bad += 1
        # A short span ("so", "it") can occur more than once: take the cue
        # and cause that lie closest together, and the first effect that
        # does not overlap the cause.
        pairs = [(abs(c - (k + lk)) if c >= k else abs(k - (c + lc)), k, c)
                 for k, lk in (found["cue"] or [(None, 0)]) for c, lc in (found["cause"] or [(None, 0)])
                 if k is not None and c is not None]
        pick = {}
        if pairs:
            _, k, c = min(pairs)
            pick["cue"] = k
            pick["cause"] = c
        for name in ("cue", "cause"):
            if name not in pick and found[name]:
                pick[name] = found[name][0][0]
        if found["effect"]:
            cs = pick.get("cause")
            ce = cs + len(cause.encode("utf-8")) if cs is not None else None
            ok = [at for at, n in found["effect"] if cs is None or at + n <= cs or at >= ce]
            pick["effect"] = (ok or [found["effect"][0][0]])[0]
        for name, span in (("cue", cue), ("cause", cause), ("effect", effect)):
            if name in pick:
                out_row[name + "_start"] = pick[name]
                out_row[name + "_end"] = pick[name] + len(span.encode("utf-8"))
            else:
                out_row[name + "_start"] = out_row[name + "_end"] = ""
        rows[key] = out_row
    missing = [k for k in drawn if k not in rows]
    if missing:
        print("%d drawn sentences not labelled (first %s)" % (len(missing), missing[0]), file=sys.stderr)
    cols = ["key", "corpus", "source", "row", "start", "end", "split", "causal", "cue_start", "cue_end",
            "cause_start", "cause_end", "effect_start", "effect_end", "complaint"]
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, cols, lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        for k in drawn:
            if k in rows:
                w.writerow(rows[k])
    return 1 if bad else 0


def text(shared, labels, split, out):
    docs = doc_index(shared)
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "text"])
        for r in read(labels):
            if split in ("all", r["split"]):
                w.writerow([r["key"], sentence_text(docs, r)])


def kappa(shared, a_csv, b_csv):
    a = {r["key"]: int(r["causal"]) for r in read(a_csv)}
    b = {r["key"]: int(r["causal"]) for r in read(b_csv)}
    keys = sorted(set(a) & set(b))
    n = len(keys)
    agree = sum(a[k] == b[k] for k in keys) / n
    pa, pb = sum(a[k] for k in keys) / n, sum(b[k] for k in keys) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    k = (agree - pe) / (1 - pe)
    print("sentences labelled in both passes: %d" % n)
    print("causal in pass A: %d, in pass B: %d" % (sum(a[k] for k in keys), sum(b[k] for k in keys)))
    print("observed agreement %.3f, chance %.3f, Cohen's kappa %.3f" % (agree, pe, k))
    docs = doc_index(shared)

    def cue(r):
        return docs[(r["corpus"], r["source"], int(r["row"]))][int(r["cue_start"] or 0):int(r["cue_end"] or 0)].lower()
    ca = {r["key"]: cue(r) for r in read(a_csv)}
    cb = {r["key"]: cue(r) for r in read(b_csv)}
    both = [k for k in keys if a[k] and b[k]]
    if both:
        print("same cue words where both say causal: %d of %d" % (sum(ca[k] == cb[k] for k in both), len(both)))


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def gold_of(labels, split):
    return [r for r in read(labels) if split in ("all", r["split"])]


def score(shared, labels, split, sentences_csv, spans_csv):
    """Sentence F1 of the causal class, and exact-match F1 of cause and
    effect spans (byte offsets equal, white space at the ends ignored)."""
    docs = doc_index(shared)
    gold = gold_of(labels, split)
    pred = {}
    for r in read(sentences_csv):
        pred[r["id"]] = max(pred.get(r["id"], 0), int(r["causal"]))
    tp = sum(1 for g in gold if int(g["causal"]) and pred.get(g["key"], 0))
    fp = sum(1 for g in gold if not int(g["causal"]) and pred.get(g["key"], 0))
    fn = sum(1 for g in gold if int(g["causal"]) and not pred.get(g["key"], 0))
    p, r, f = prf(tp, fp, fn)
    print("sentences %d (causal %d): precision %.3f recall %.3f F1 %.3f" %
          (len(gold), sum(int(g["causal"]) for g in gold), p, r, f))
    # Effects count only in sentences found causal: a complaint that states
    # no cause is written as a symptom span of the whole sentence.
    causal_at = {(r["id"], r["sentence"]) for r in read(sentences_csv) if int(r["causal"])}
    spans = {}
    for s in read(spans_csv):
        if (s["id"], s["sentence"]) in causal_at:
            spans.setdefault(s["id"], []).append(s)
    for kind, kinds in (("cause", ("cause",)), ("effect", ("symptom", "effect"))):
        tp = fp = fn = 0
        for g in gold:
            b = sentence_text(docs, g).encode("utf-8")
            want = set()
            if g[kind + "_start"]:
                s0 = int(g[kind + "_start"]) - int(g["start"])
                want.add(b[s0:s0 + int(g[kind + "_end"]) - int(g[kind + "_start"])].strip(b" .,!?;:"))
            got = {s["text"].encode("utf-8").strip(b" .,!?;:") for s in spans.get(g["key"], [])
                   if s["kind"] in kinds}
            tp += len(want & got)
            fp += len(got - want)
            fn += len(want - got)
        p, r, f = prf(tp, fp, fn)
        print("%s spans, exact: precision %.3f recall %.3f F1 %.3f" % (kind, p, r, f))
    tp = fp = fn = 0
    for g in gold:
        if not int(g["causal"]) or not g["effect_start"]:
            continue
        ks = {s["kind"] for s in spans.get(g["key"], []) if s["kind"] in ("symptom", "effect")}
        if not ks:
            continue
        want = "symptom" if int(g["complaint"]) else "effect"
        tp += want in ks and want == "symptom"
        fp += "symptom" in ks and want != "symptom"
        fn += want == "symptom" and "symptom" not in ks
    p, r, f = prf(tp, fp, fn)
    print("effects found, symptom (complaint) vs effect: precision %.3f recall %.3f F1 %.3f" % (p, r, f))


BASE_CUES = re.compile(r"\b(because|due to|caused by|as a result|therefore|thanks to|since|so that's why|"
                       r"that's why|which is why|the reason|led to|resulted in|so)\b", re.I)


def baselines(shared, labels, cnc):
    """scikit-learn's TF-IDF 1-3-gram logistic regression (C=10) trained on
    CNC V2 train plus the real dev split, and a cue-word list; both scored
    on the real test split."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    docs = doc_index(shared)
    rows = read(labels)
    dev = [(sentence_text(docs, r), int(r["causal"])) for r in rows if r["split"] == "dev"]
    test = [(sentence_text(docs, r), int(r["causal"])) for r in rows if r["split"] == "test"]
    with open(os.path.join(cnc, "train_subtask1.csv"), encoding="utf-8-sig", newline="") as f:
        cnc_rows = [(r["text"], int(r["label"])) for r in csv.DictReader(f)]

    def f1(pred):
        tp = sum(1 for p, (_, y) in zip(pred, test) if p and y)
        fp = sum(1 for p, (_, y) in zip(pred, test) if p and not y)
        fn = sum(1 for p, (_, y) in zip(pred, test) if not p and y)
        return prf(tp, fp, fn)
    for name, train in (("CNC train", cnc_rows), ("CNC train + real dev", cnc_rows + dev),
                        ("real dev only", dev)):
        v = TfidfVectorizer(ngram_range=(1, 3), sublinear_tf=True, min_df=1)
        x = v.fit_transform([t for t, _ in train])
        m = LogisticRegression(C=10, max_iter=2000).fit(x, [y for _, y in train])
        p, r, f = f1(m.predict(v.transform([t for t, _ in test])))
        print("scikit-learn LR (%s): precision %.3f recall %.3f F1 %.3f" % (name, p, r, f))
    p, r, f = f1([1 if BASE_CUES.search(t) else 0 for t, _ in test])
    print("cue-word list: precision %.3f recall %.3f F1 %.3f" % (p, r, f))


def main(a):
    if len(a) >= 3 and a[0] == "draw":
        draw(a[1], a[2])
    elif len(a) >= 3 and a[0] == "show":
        show(a[1], a[2])
    elif len(a) >= 5 and a[0] == "resolve":
        return resolve(a[1], a[2], a[3], a[4])
    elif len(a) >= 5 and a[0] == "text":
        text(a[1], a[2], a[3], a[4])
    elif len(a) >= 4 and a[0] == "kappa":
        kappa(a[1], a[2], a[3])
    elif len(a) >= 6 and a[0] == "score":
        score(a[1], a[2], a[3], a[4], a[5])
    elif len(a) >= 4 and a[0] == "baselines":
        baselines(a[1], a[2], a[3])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
