#!/usr/bin/env python3
"""Planted differences between a 'survey' and an 'interview' group.

usage: planted.py make CORPUS.csv... OUT.csv SEED N_UP N_DOWN RATIO
       planted.py score OUT.csv DIR [subtheme]   (DIR: tx-themes --out)

make: every labelled document of the corpora goes to one group at random;
for N_UP labels the survey gets RATIO times the interview's share, for
N_DOWN labels the reverse, the others are split evenly. Writes
id,text,group,label.

score: a theme's true difference is what its documents' planting implies
(its documents: those that speak of it, primary or mentioned, as
compare.csv counts them):
the expected survey fraction of the theme, E = mean over its documents of
P(survey | label), turned into the ratio of shares E/(1-E) x N_i/N_s. A
theme with ratio >= 2 (or <= 1/2) and at least 100 documents must be
flagged in that direction; a flagged theme whose ratio is within 1.1x of
even is a false discovery. With `subtheme`, the same for the sub-themes
(their documents from the subtheme columns, their flags from
compare_subthemes.csv).
"""
import csv
import json
import random
import sys


def make(paths, out, seed, n_up, n_down, ratio):
    rows = []
    for p in paths:
        with open(p, encoding="utf-8-sig", newline="") as f:
            rows += [(r["text"], r["category"]) for r in csv.DictReader(f)]
    labels = sorted({l for _, l in rows})
    rng = random.Random(seed)
    rng.shuffle(labels)
    p_survey = {}
    for i, l in enumerate(labels):
        if i < n_up:
            p_survey[l] = ratio / (1 + ratio)
        elif i < n_up + n_down:
            p_survey[l] = 1 / (1 + ratio)
        else:
            p_survey[l] = 0.5
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "text", "group", "label", "p_survey"])
        for i, (t, l) in enumerate(rows):
            g = "survey" if rng.random() < p_survey[l] else "interview"
            w.writerow(["d%d" % i, t, g, l, "%.6f" % p_survey[l]])


def score(data, out, level="theme"):
    col = "subtheme" if level == "subtheme" else "theme"
    cmp_file = "/compare_subthemes.csv" if level == "subtheme" else "/compare.csv"
    docs = {r["id"]: r for r in csv.DictReader(open(data, encoding="utf-8"))}
    n_s = sum(1 for r in docs.values() if r["group"] == "survey")
    n_i = len(docs) - n_s
    # A theme's documents are those the comparison counts: every document
    # that speaks of it (its primary theme, or a theme one of its segments
    # mentions), each once.
    speaks = {}
    for r in csv.DictReader(open(out + "/assignments.csv", encoding="utf-8")):
        if int(r[col]) >= 0:
            speaks.setdefault(r["id"], set()).add(int(r[col]))
    for r in csv.DictReader(open(out + "/mentions.csv", encoding="utf-8")):
        if int(r[col]) >= 0:
            speaks.setdefault(r["id"], set()).add(int(r[col]))
    members = {}
    for i, ts in speaks.items():
        for t in ts:
            members.setdefault(t, []).append(docs[i])
    flagged = {}
    for r in csv.DictReader(open(out + cmp_file, encoding="utf-8")):
        if r["significant"] == "1":
            # group_a is "interview" (name order): diff > 0 means more there
            more = r["group_a"] if float(r["diff"]) > 0 else r["group_b"]
            flagged[int(r[col])] = more
    must = found = wrong_dir = false = ambiguous = 0
    for t, m in sorted(members.items()):
        e = sum(float(d["p_survey"]) for d in m) / len(m)
        ratio = (e / (1 - e)) * (n_i / n_s)  # survey share / interview share
        if len(m) >= 100 and (ratio >= 2 or ratio <= 0.5):
            must += 1
            want = "survey" if ratio >= 2 else "interview"
            if flagged.get(t) == want:
                found += 1
            elif t in flagged:
                wrong_dir += 1
        if t in flagged:
            if 1 / 1.1 <= ratio <= 1.1:
                false += 1
            elif not (ratio >= 1.5 or ratio <= 1 / 1.5):
                ambiguous += 1
    fl = len(flagged)
    print("%ss %d, flagged %d" % (level, len(members), fl))
    print("planted differences >= 2x in themes of >= 100 documents: %d, "
          "found with the right direction %d, wrong direction %d"
          % (must, found, wrong_dir))
    print("false discoveries (flagged, true ratio within 1.1x): %d of %d "
          "flagged = %.1f%%; flagged with a small true difference "
          "(1.1x-1.5x): %d" % (false, fl, 100.0 * false / fl if fl else 0,
                               ambiguous))
    print("SUMMARY %d %d %d %d" % (must, found, false, fl))
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "make":
        *paths, out, seed, n_up, n_down, ratio = sys.argv[2:]
        make(paths, out, int(seed), int(n_up), int(n_down), float(ratio))
    else:
        sys.exit(score(*sys.argv[2:5]))
