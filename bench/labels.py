"""Label benchmark: the share of themes whose label shares a content word
with the name of the true label most of their documents carry
("card_arrival" -> card, arrival), beside the same score for the theme's
top TF-IDF term (the largest weight of the mean TF-IDF row of its
documents: what a centroid-term labeller would show). Words are compared
lower-cased with a light suffix strip (cards/card, charged/charge).
usage: labels.py FILE.csv LABEL_COLUMN OUTDIR [subtheme]
  (OUTDIR from tx-themes; with `subtheme`, the sub-themes are scored)
Prints: label_score top_term_score themes word_lists
  (word_lists: the share of labels that are a list of words, "refund,
  statement", rather than a phrase or one word)"""
import csv, json, re, sys
from collections import Counter

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer


def stem(w):
    for suf in ("ing", "ed", "es", "s"):
        if len(w) > len(suf) + 2 and w.endswith(suf):
            return w[: -len(suf)]
    return w


def words(s):
    return {stem(w) for w in re.findall(r"[a-z0-9]+", s.lower().replace("_", " "))
            if w not in ENGLISH_STOP_WORDS and len(w) > 1}


path, col, out = sys.argv[1], sys.argv[2], sys.argv[3]
level = sys.argv[4] if len(sys.argv) > 4 else "theme"
rows = list(csv.DictReader(open(path, newline="", encoding="utf-8")))
label = {r["id"]: r[col] for r in rows}
assign = {r["id"]: int(r[level]) for r in csv.DictReader(open(out + "/assignments.csv", newline=""))}
themes = json.load(open(out + "/themes.json"))["themes"]
if level == "subtheme":
    themes = [s for t in themes for s in t["subthemes"]]
ids = [r["id"] for r in rows if assign.get(r["id"], -1) >= 0]
vec = TfidfVectorizer(sublinear_tf=True, min_df=2, stop_words="english")
X = vec.fit_transform([r["text"] for r in rows if assign.get(r["id"], -1) >= 0])
vocab = np.array(vec.get_feature_names_out())
lab_hit = top_hit = 0
for t in themes:
    members = [i for i, d in enumerate(ids) if assign[d] == t["id"]]
    if not members:
        continue
    name = Counter(label[ids[i]] for i in members).most_common(1)[0][0]
    top = vocab[np.asarray(X[members].mean(axis=0)).ravel().argmax()]
    lab_hit += bool(words(t["label"]) & words(name))
    top_hit += bool(words(top) & words(name))
lists = sum(", " in t["label"] for t in themes)
print(f"{lab_hit / len(themes):.4f} {top_hit / len(themes):.4f} {len(themes)} {lists / len(themes):.4f}")
