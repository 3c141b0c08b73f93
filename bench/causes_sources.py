#!/usr/bin/env python3
"""Training sources for the cause detector beside the Causal News Corpus.

usage: causes_sources.py SHARED OUTDIR

Writes, from ../shared/corpora (the text never enters the repository):
  real_dev.csv, real_dev_spans.csv      the real-text dev split
                                        (corpora/causes/real/labels.csv):
                                        text,label and CNC-style mark-up
  real_dev_a*.csv, real_dev_b*.csv      the same, in two halves by key,
                                        for choosing the weights without
                                        scoring a model on its own training
  real_dev_a_eval.csv, real_dev_b_eval.csv   id,text of each half
  explainit.csv     ExplainIt hotel sentences: text,label (the sentence
                    holds an explanation), train part
  semeval8.csv      SemEval-2010 task 8 training sentences: text,label
                    (Cause-Effect relation or not)
  fincausal.csv     FinCausal task 1 sentences (2020 practice and trial):
                    text,label
  complaints.csv    X-CI complaint tweets: text,label (1 complaint), all
                    but those drawn into the real-text test split
  xci_fold{0-4}_train.csv, xci_fold{0-4}_eval.csv, xci_gold.csv
                    five folds of the same tweets (by a hash of the row)
                    for scoring complaint detection
"""
import csv
import glob
import hashlib
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import causes_real  # noqa: E402

csv.field_size_limit(1 << 30)


def write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def marked(sentence, spans):
    """CNC mark-up of a sentence (bytes) with (start, end, tag) spans
    relative to it; None when spans overlap."""
    spans = sorted(s for s in spans if s[1] > s[0])
    for a, b in zip(spans, spans[1:]):
        if b[0] < a[1]:
            return None
    out, at = [], 0
    for s, e, tag in spans:
        out += [sentence[at:s], ("<%s>" % tag).encode(), sentence[s:e], ("</%s>" % tag).encode()]
        at = e
    out.append(sentence[at:])
    return b"".join(out).decode("utf-8")


def real_dev(shared, labels, out):
    docs = causes_real.doc_index(shared)
    rows = [r for r in causes_real.read(labels) if r["split"] == "dev"]
    half = {r["key"]: "a" if hashlib.sha1(("fold" + r["key"]).encode()).digest()[0] & 1 else "b"
            for r in rows}
    sents, spans = {"": [], "a": [], "b": []}, {"": [], "a": [], "b": []}
    evals = {"a": [], "b": []}
    for r in rows:
        b = docs[(r["corpus"], r["source"], int(r["row"]))]
        s0, e0 = int(r["start"]), int(r["end"])
        text = b[s0:e0].decode("utf-8")
        for part in ("", half[r["key"]]):
            sents[part].append((text, r["causal"]))
        evals[half[r["key"]]].append((r["key"], text))
        if int(r["causal"]) and r["cause_start"] and r["effect_start"]:
            tags = [(int(r["cause_start"]) - s0, int(r["cause_end"]) - s0, "ARG0"),
                    (int(r["effect_start"]) - s0, int(r["effect_end"]) - s0, "ARG1")]
            if r["cue_start"]:
                tags.append((int(r["cue_start"]) - s0, int(r["cue_end"]) - s0, "SIG0"))
            m = marked(b[s0:e0], tags)
            if m:
                for part in ("", half[r["key"]]):
                    spans[part].append((m,))
    for part in ("", "a", "b"):
        name = "real_dev" + ("_" + part if part else "")
        write(os.path.join(out, name + ".csv"), ["text", "label"], sents[part])
        write(os.path.join(out, name + "_spans.csv"), ["text_w_pairs"], spans[part])
    for part in ("a", "b"):
        write(os.path.join(out, "real_dev_%s_eval.csv" % part), ["id", "text"], evals[part])


def explainit(shared, out):
    path = os.path.join(shared, "corpora", "explainit_hotel", "explanation_mining", "data", "train")
    seen, rows = set(), []
    for line in open(path, encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if f[2] not in seen:
            seen.add(f[2])
            rows.append((f[2], f[1]))
    write(os.path.join(out, "explainit.csv"), ["text", "label"], rows)


def semeval8(shared, out):
    path = os.path.join(shared, "corpora", "semeval2010_task8", "SemEval2010_task8_training", "TRAIN_FILE.TXT")
    lines = open(path, encoding="utf-8", errors="replace").read().replace("\r", "").split("\n")
    rows = []
    for i in range(0, len(lines) - 1, 4):
        if "\t" not in lines[i]:
            continue
        text = lines[i].split("\t", 1)[1].strip().strip('"')
        text = re.sub(r"</?e[12]>", "", text)
        rows.append((text, 1 if lines[i + 1].startswith("Cause-Effect") else 0))
    write(os.path.join(out, "semeval8.csv"), ["text", "label"], rows)


def fincausal(shared, out):
    rows = []
    for path in sorted(glob.glob(os.path.join(shared, "corpora", "fincausal", "FNP_2020_FinCausal",
                                              "data", "*", "*task1.csv"))):
        with open(path, encoding="utf-8-sig", newline="") as f:
            for r in csv.reader(f, delimiter=";"):
                if len(r) >= 3 and r[2].strip() in ("0", "1"):
                    rows.append((r[1].strip(), r[2].strip()))
    write(os.path.join(out, "fincausal.csv"), ["text", "label"], rows)


def complaints(shared, labels, out):
    held = {int(r["row"]) for r in causes_real.read(labels)
            if r["corpus"] == "complaints_xci" and r["split"] == "test"}
    path = os.path.join(shared, "corpora", "complaints_xci", "X-CI Dataset.csv")
    with open(path, encoding="utf-8", newline="") as f:
        rows = [(i, r["tweet"], r["label"]) for i, r in enumerate(csv.DictReader(f)) if i not in held]
    write(os.path.join(out, "complaints.csv"), ["text", "label"], [(t, y) for _, t, y in rows])
    write(os.path.join(out, "xci_gold.csv"), ["id", "label"], [(i, y) for i, _, y in rows])
    fold = {i: hashlib.sha1(("xci%d" % i).encode()).digest()[0] % 5 for i, _, _ in rows}
    for k in range(5):
        write(os.path.join(out, "xci_fold%d_train.csv" % k), ["text", "label"],
              [(t, y) for i, t, y in rows if fold[i] != k])
        write(os.path.join(out, "xci_fold%d_eval.csv" % k), ["id", "text"],
              [(i, t) for i, t, y in rows if fold[i] == k])


def main(a):
    if len(a) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    shared, out = a
    os.makedirs(out, exist_ok=True)
    real_dev(shared, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "corpora", "causes",
                                  "real", "labels.csv"), out)
    explainit(shared, out)
    semeval8(shared, out)
    fincausal(shared, out)
    complaints(shared, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "corpora", "causes",
                                    "real", "labels.csv"), out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
