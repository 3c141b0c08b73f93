"""scikit-learn's side of the vectorize benchmark: read the CSV's text column
and run TfidfVectorizer(sublinear_tf, min_df=2, English stop words). Prints
seconds for reading and for fit_transform, and peak RSS.
usage: sk_tfidf.py FILE.csv"""
import csv
import resource
import sys
import time

from sklearn.feature_extraction.text import TfidfVectorizer

t0 = time.perf_counter()
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    texts = [r["text"] for r in csv.DictReader(f)]
t1 = time.perf_counter()
X = TfidfVectorizer(sublinear_tf=True, min_df=2, stop_words="english").fit_transform(texts)
t2 = time.perf_counter()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"read {t1 - t0:.3f} fit {t2 - t1:.3f} total {t2 - t0:.3f} peak_mb {peak:.0f} "
      f"docs {X.shape[0]} terms {X.shape[1]} nnz {X.nnz}")
