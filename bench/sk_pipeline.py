"""scikit-learn's end-to-end peer of tx-themes -k K: read the CSV, then
TfidfVectorizer(sublinear_tf, min_df=2, English stop words) +
TruncatedSVD(100) + normalize + KMeans(K), with its default restarts
(10 in scikit-learn 1.2) or N_INIT of them.
usage: sk_pipeline.py FILE.csv K [N_INIT]"""
import csv, sys

from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

path, k = sys.argv[1], int(sys.argv[2])
n_init = int(sys.argv[3]) if len(sys.argv) > 3 else 10
texts = [r["text"] for r in csv.DictReader(open(path, newline="", encoding="utf-8"))]
X = TfidfVectorizer(sublinear_tf=True, min_df=2, stop_words="english").fit_transform(texts)
Z = normalize(TruncatedSVD(100, random_state=0).fit_transform(X))
labels = KMeans(k, n_init=n_init, random_state=0).fit_predict(Z)
print(len(labels), "documents,", len(set(labels)), "clusters")
