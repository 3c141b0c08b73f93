"""scikit-learn's side of the quality benchmark, on a prepared CSV:
A = TfidfVectorizer(sublinear_tf, min_df=2, English stop words) + KMeans,
B = A's TF-IDF + TruncatedSVD(100) + normalize + KMeans (k-means++, 3 inits).
Prints one line per pipeline and seed: NAME SEED NMI ARI ACC SECONDS.
usage: sk_cluster.py [--col LABEL_COLUMN] FILE.csv K SEEDS..."""
import csv, sys, time

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from sklearn.preprocessing import normalize

args = sys.argv[1:]
col = "label"
if args[0] == "--col":
    col, args = args[1], args[2:]
path, k, seeds = args[0], int(args[1]), [int(s) for s in args[2:]]
rows = list(csv.DictReader(open(path, newline="", encoding="utf-8")))
texts, labels = [r["text"] for r in rows], [r[col] for r in rows]

def acc(y, p):
    ys, ps = sorted(set(y)), sorted(set(p))
    m = np.zeros((len(ys), len(ps)))
    yi, pi = {v: i for i, v in enumerate(ys)}, {v: i for i, v in enumerate(ps)}
    for a, b in zip(y, p):
        m[yi[a], pi[b]] += 1
    r, c = linear_sum_assignment(-m)
    return m[r, c].sum() / len(y)

X = TfidfVectorizer(sublinear_tf=True, min_df=2, stop_words="english").fit_transform(texts)
for seed in seeds:
    for name in ("tfidf+kmeans", "tfidf+svd100+kmeans"):
        t0 = time.perf_counter()
        Z = X if name == "tfidf+kmeans" else normalize(TruncatedSVD(100, random_state=seed).fit_transform(X))
        p = KMeans(k, n_init=3, random_state=seed).fit_predict(Z)
        print(name, seed, f"{normalized_mutual_info_score(labels, p):.4f}",
              f"{adjusted_rand_score(labels, p):.4f}", f"{acc(labels, p):.4f}",
              f"{time.perf_counter() - t0:.1f}", flush=True)
