#!/usr/bin/env python3
"""Scores tx-causes on the Causal News Corpus V2 dev set.

usage: causes_eval.py CNC_V2_DIR SUBTASK1_SENTENCES_CSV SUBTASK2_SPANS_CSV
       causes_eval.py --anchor CNC_V2_DIR SENTENCES.csv [MARKED.csv...]
           (scikit-learn's n-gram LR: CNC dev F1, sentences per second on
           SENTENCES.csv, F1 on each marked feedback file)

Subtask 1: F1 of the causal class over dev_subtask1.csv.
Subtask 2: the shared task's definition: each relation's cause (ARG0),
effect (ARG1) and signal (SIG) become BIO tags over the sentence's
space-separated tokens; a predicted span counts when its tokens equal a
gold span's exactly; precision, recall and F1 per kind, and overall the
support-weighted mean of the three. Only sentences with gold relations are
scored; predictions beyond a sentence's number of gold relations are
dropped, and a sentence's predicted and gold relations are paired the way
that matches most spans (tx-causes --relations N predicts up to N).
"""
import ast
import csv
import itertools
import re
import sys

csv.field_size_limit(1 << 30)


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def f1(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def subtask1(cnc, sentences_csv):
    gold = {r["index"]: int(r["label"]) for r in read(cnc + "/dev_subtask1.csv")}
    pred = {}
    for r in read(sentences_csv):
        pred[r["id"]] = max(pred.get(r["id"], 0), int(r["causal"]))
    tp = sum(1 for k, y in gold.items() if y and pred.get(k, 0))
    fp = sum(1 for k, y in gold.items() if not y and pred.get(k, 0))
    fn = sum(1 for k, y in gold.items() if y and not pred.get(k, 0))
    return f1(tp, fp, fn)


TAG = re.compile(r"</?(ARG0|ARG1|SIG\d*)>")


def gold_spans(marked):
    """Token spans (start, end) of cause, effect and signals."""
    toks, spans, open_ = [], {"C": set(), "E": set(), "S": set()}, {}
    kind = {"ARG0": "C", "ARG1": "E"}
    pos = 0
    for m in re.finditer(r"<(/?)(ARG0|ARG1|SIG\d*)>|[^<\s]+|<|\s+", marked):
        if m.group(2):
            k = kind.get(m.group(2), "S")
            key = m.group(2)
            if m.group(1):
                if key in open_:
                    spans[k].add((open_.pop(key), len(toks)))
            else:
                open_[key] = len(toks) + (1 if pos else 0) * 0
        elif m.group(0).isspace():
            pos = 0
        else:
            if pos == 0:
                toks.append(m.group(0))
            else:
                toks[-1] += m.group(0)
            pos = 1
    return spans


def char_tokens(text):
    out, i = [], 0
    for t in text.split(" "):
        out.append((i, i + len(t.encode("utf-8"))))
        i += len(t.encode("utf-8")) + 1
    return out


def to_tokens(text, start, end):
    toks = char_tokens(text)
    idx = [i for i, (a, b) in enumerate(toks) if a < end and b > start and b > a]
    return (idx[0], idx[-1] + 1) if idx else None


def subtask2(cnc, spans_csv):
    texts = {}
    rels_gold = {}
    for r in read(cnc + "/dev_subtask2_grouped.csv"):
        lst = ast.literal_eval(r["causal_text_w_pairs"])
        if int(r["num_rs"]) > 0:
            rels_gold[r["index"]] = lst
            texts[r["index"]] = r["text"]
    # spans.csv rows of one document in order: a relation's effect (kind
    # symptom when the sentence is a complaint, else effect), cause
    # (and cue with --cue-spans); a kind seen again starts the next one
    pred = {}
    rows = read(spans_csv)
    cue_rows = any(r["kind"] == "cue" for r in rows)  # tx-causes --cue-spans
    for r in rows:
        if r["id"] not in texts:
            continue
        rels = pred.setdefault(r["id"], [])
        k = {"cause": "C", "symptom": "E", "effect": "E", "cue": "S"}[r["kind"]]
        t = to_tokens(texts[r["id"]], int(r["start"]), int(r["end"]))
        if not rels or rels[-1][k]:
            rels.append({"C": set(), "E": set(), "S": set()})
        if t is not None:
            rels[-1][k].add(t)
        if r["cue"] and not cue_rows and not rels[-1]["S"]:
            # without cue offsets: the cue's first occurrence in the text
            enc = texts[r["id"]].encode("utf-8")
            at = enc.find(r["cue"].encode("utf-8"))
            ct = to_tokens(texts[r["id"]], at, at + len(r["cue"].encode("utf-8"))) if at >= 0 else None
            if ct:
                rels[-1]["S"].add(ct)
    counts = {k: [0, 0, 0] for k in "CES"}  # tp, fp, fn
    empty = {"C": set(), "E": set(), "S": set()}
    for key, lst in rels_gold.items():
        gold = [gold_spans(m) for m in lst]
        # as the shared task: predictions beyond the number of gold
        # relations are dropped, missing ones count as empty
        p = (pred.get(key, []) + [empty] * len(gold))[:len(gold)]
        best, pairing = -1, None
        for perm in itertools.permutations(range(len(gold))):
            m = sum(len(p[i][k] & gold[j][k]) for i, j in enumerate(perm) for k in "CES")
            if m > best:
                best, pairing = m, perm
        for i, j in enumerate(pairing):
            for k in "CES":
                tp = len(p[i][k] & gold[j][k])
                counts[k][0] += tp
                counts[k][1] += len(p[i][k]) - tp
                counts[k][2] += len(gold[j][k]) - tp
    res, wsum, tot = {}, [0.0, 0.0, 0.0], 0
    for k in "CES":
        tp, fp, fn = counts[k]
        res[k] = f1(tp, fp, fn)
        support = tp + fn
        for j in range(3):
            wsum[j] += res[k][j] * support
        tot += support
    res["overall"] = tuple(x / tot for x in wsum)
    return res


def anchor(cnc, speed=None, domains=()):
    """scikit-learn's TF-IDF 1-3-gram logistic regression trained on CNC V2
    train: F1 on dev; on the project's marked feedback; and the time to
    vectorize and classify a file of sentences on one core."""
    import time
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    tr = read(cnc + "/train_subtask1.csv")
    dv = read(cnc + "/dev_subtask1.csv")
    vec = TfidfVectorizer(ngram_range=(1, 3), sublinear_tf=True, min_df=1)
    x = vec.fit_transform([r["text"] for r in tr])
    clf = LogisticRegression(max_iter=2000, C=10)
    clf.fit(x, [int(r["label"]) for r in tr])
    p = clf.predict(vec.transform([r["text"] for r in dv]))
    print("sklearn subtask1 F1 %.3f" % f1_score([int(r["label"]) for r in dv], p))
    for domain in domains:
        rows = read(domain)
        y = [int("<ARG0>" in r["marked"]) for r in rows]
        text = [TAG.sub("", r["marked"]) for r in rows]
        p = clf.predict(vec.transform(text))
        print("sklearn %s F1 %.3f" % (domain, f1_score(y, p)))
    if speed:
        text = [r["text"] for r in read(speed)]
        t = time.perf_counter()
        clf.predict(vec.transform(text))
        print("sklearn sentences/s %.0f" % (len(text) / (time.perf_counter() - t)))


if __name__ == "__main__":
    if sys.argv[1] == "--anchor":
        anchor(sys.argv[2], sys.argv[3], sys.argv[4:])
        sys.exit(0)
    cnc, s1, s2 = sys.argv[1:4]
    p, r, f = subtask1(cnc, s1)
    print("subtask1 P %.3f R %.3f F1 %.3f" % (p, r, f))
    res = subtask2(cnc, s2)
    for k, name in (("C", "cause"), ("E", "effect"), ("S", "signal"),
                    ("overall", "overall")):
        print("subtask2 %-7s P %.3f R %.3f F1 %.3f" % ((name,) + res[k]))
