"""Multi-aspect scoring: documents labelled with several aspects each
(NAME.multi.csv from prepare_feedback.py: id,text,labels joined by ';').
For each aspect, the best F1 between its documents and any theme's
documents, weighted by the aspect's size; and the share of documents with
two or more aspects that get two or more themes.
  multi_aspect.py libtext FILE.csv MENTIONS.csv      (libtext's mentions)
  multi_aspect.py sklearn FILE.csv K SEED            (two peers: TF-IDF +
      SVD(100) + KMeans(K) on documents, one theme each; and the same on
      sentences, a document taking all its sentences' clusters)
Prints: NAME best_match_f1 share_2plus themes_per_doc single_2plus
(single_2plus: the share of one-aspect documents given 2+ themes)"""
import csv, re, sys
from collections import defaultdict


def score(name, labels, themes):
    """labels, themes: id -> set."""
    by_aspect, by_theme = defaultdict(set), defaultdict(set)
    for i, ls in labels.items():
        for l in ls:
            by_aspect[l].add(i)
        for t in themes.get(i, ()):
            by_theme[t].add(i)
    tot, acc = 0, 0.0
    for a, docs in by_aspect.items():
        best = 0.0
        for t, tdocs in by_theme.items():
            both = len(docs & tdocs)
            if both:
                best = max(best, 2 * both / (len(docs) + len(tdocs)))
        acc += best * len(docs)
        tot += len(docs)
    multi = [i for i, ls in labels.items() if len(ls) >= 2]
    one = [i for i, ls in labels.items() if len(ls) == 1]
    two = sum(1 for i in multi if len(themes.get(i, ())) >= 2)
    two1 = sum(1 for i in one if len(themes.get(i, ())) >= 2)
    per = sum(len(themes.get(i, ())) for i in labels) / len(labels)
    print(f"{name} {acc / tot:.4f} {two / max(len(multi), 1):.4f} {per:.2f} "
          f"{two1 / max(len(one), 1):.4f}", flush=True)


rows = list(csv.DictReader(open(sys.argv[2], newline="", encoding="utf-8")))
labels = {r["id"]: set(r["labels"].split(";")) for r in rows}
if sys.argv[1] == "libtext":
    themes = defaultdict(set)
    for m in csv.DictReader(open(sys.argv[3], newline="", encoding="utf-8")):
        themes[m["id"]].add(m["theme"])
    score("libtext", labels, themes)
else:
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize
    k, seed = int(sys.argv[3]), int(sys.argv[4])

    def cluster(texts):
        X = TfidfVectorizer(sublinear_tf=True, min_df=2, stop_words="english").fit_transform(texts)
        Z = normalize(TruncatedSVD(100, random_state=seed).fit_transform(X))
        return KMeans(k, n_init=3, random_state=seed).fit_predict(Z)

    p = cluster([r["text"] for r in rows])
    score("sklearn-doc", labels, {r["id"]: {p[i]} for i, r in enumerate(rows)})
    sents, owner = [], []
    for r in rows:
        for s in re.split(r"(?<=[.!?])\s+", r["text"]):
            if s.strip():
                sents.append(s)
                owner.append(r["id"])
    p = cluster(sents)
    themes = defaultdict(set)
    for o, c in zip(owner, p):
        themes[o].add(c)
    score("sklearn-sentences", labels, themes)
