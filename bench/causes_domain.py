#!/usr/bin/env python3
"""Scores tx-causes on corpora/causes/marked.csv, customer feedback written
for this project with causes (ARG0), effects (ARG1) and cues (SIG0) marked.

usage: causes_domain.py plain MARKED.csv OUT.csv   (write id,text for tx-causes)
       causes_domain.py score MARKED.csv SPANS.csv SENTENCES.csv [--min-f1 X]

Detection: a document is causal when any of its sentences is; F1 of the
causal class. Spans: a cause or effect counts when it equals the marked one
after trimming spaces and final punctuation (exact), and as the token
overlap F1 of the best-matching predicted span (partial).
"""
import csv
import re
import sys

TAG = re.compile(r"</?(ARG0|ARG1|SIG\d*)>")


def parse(marked):
    out, spans, i = [], {}, 0
    for m in re.finditer(r"<(/?)(ARG0|ARG1|SIG\d*)>|[^<]+|<", marked):
        if m.group(2):
            k = {"ARG0": "cause", "ARG1": "effect"}.get(m.group(2), "cue")
            if m.group(1):
                spans.setdefault(k, [None, None])[1] = len("".join(out))
            else:
                spans.setdefault(k, [None, None])[0] = len("".join(out))
        else:
            out.append(m.group(0))
    text = "".join(out)
    return text, {k: text[a:b] for k, (a, b) in spans.items()}


def norm(s):
    return re.sub(r"[\s.,;!?]+$", "", s.strip()).lower()


def toks(s):
    return re.findall(r"\w+(?:'\w+)?", s.lower())


def overlap(a, b):
    ta, tb = toks(a), toks(b)
    if not ta or not tb:
        return 0.0
    common = 0
    rest = list(tb)
    for t in ta:
        if t in rest:
            rest.remove(t)
            common += 1
    if not common:
        return 0.0
    p, r = common / len(ta), common / len(tb)
    return 2 * p * r / (p + r)


def main():
    if sys.argv[1] == "plain":
        with open(sys.argv[2], encoding="utf-8") as f, \
                open(sys.argv[3], "w", encoding="utf-8", newline="") as g:
            w = csv.writer(g)
            w.writerow(["id", "text"])
            for r in csv.DictReader(f):
                w.writerow([r["id"], parse(r["marked"])[0]])
        return 0
    marked, spans_csv, sent_csv = sys.argv[2:5]
    min_f1 = float(sys.argv[6]) if len(sys.argv) > 6 else None
    gold = {}
    for r in csv.DictReader(open(marked, encoding="utf-8")):
        gold[r["id"]] = parse(r["marked"])[1]
    causal = {}
    for r in csv.DictReader(open(sent_csv, encoding="utf-8")):
        causal[r["id"]] = causal.get(r["id"], 0) | int(r["causal"])
    pred = {}
    for r in csv.DictReader(open(spans_csv, encoding="utf-8")):
        if r["kind"] == "cause" or causal.get(r["id"]):
            k = "cause" if r["kind"] == "cause" else "effect"
            pred.setdefault(r["id"], {}).setdefault(k, []).append(r["text"])
    tp = fp = fn = 0
    exact = {"cause": 0, "effect": 0}
    part = {"cause": 0.0, "effect": 0.0}
    n_gold = 0
    misses = []
    for i, g in gold.items():
        y = "cause" in g
        p = bool(causal.get(i))
        tp += y and p
        fp += p and not y
        fn += y and not p
        if y:
            n_gold += 1
            for k in ("cause", "effect"):
                cands = pred.get(i, {}).get(k, []) if p else []
                if any(norm(c) == norm(g.get(k, "")) for c in cands):
                    exact[k] += 1
                part[k] += max([overlap(c, g.get(k, "")) for c in cands] or [0])
        if y != p:
            misses.append(("missed" if y else "false") + " " + i)
    prec = tp / (tp + fp) if tp + fp else 0
    rec = tp / (tp + fn) if tp + fn else 0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0
    print("detection P %.3f R %.3f F1 %.3f (%d causal of %d)" %
          (prec, rec, f1, n_gold, len(gold)))
    for k in ("cause", "effect"):
        print("%-6s exact %.3f  token-overlap F1 %.3f" %
              (k, exact[k] / n_gold, part[k] / n_gold))
    if misses:
        print("wrong: " + ", ".join(misses))
    if min_f1 is not None and f1 < min_f1:
        print("FAIL: detection F1 %.3f below %.2f" % (f1, min_f1))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
