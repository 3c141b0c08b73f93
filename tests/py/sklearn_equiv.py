"""The TF-IDF matrix libtext writes equals scikit-learn's TfidfVectorizer
(same tokens, same settings) to 1e-5, entry by entry.

usage: sklearn_equiv.py TOKENS.tsv OUT.h5 MIN_DF MAX_DF SUBLINEAR SMOOTH NORM
TOKENS.tsv is `tx-vectorize --dump` output for the same corpus."""
import sys

import h5py
import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

tokens, h5, min_df, max_df, sub, smooth, norm = sys.argv[1:8]
docs = []
with open(tokens, encoding="utf-8") as f:
    for line in f:
        _, _, terms = line.rstrip("\n").partition("\t")
        docs.append(terms)
vec = TfidfVectorizer(analyzer=str.split, min_df=int(min_df),
                      max_df=float(max_df), sublinear_tf=sub == "1",
                      smooth_idf=smooth == "1", norm="l2" if norm == "1" else None,
                      dtype=np.float64)
ref = vec.fit_transform(docs).tocsr()
ref.sort_indices()
with h5py.File(h5, "r") as f:
    terms = [t.decode("utf-8") if isinstance(t, bytes) else t
             for t in f["vocab/terms"][:]]
    idf = f["idf"][:]
    shape = tuple(int(x) for x in f["tfidf/shape"][:])
    got = sp.csr_matrix((f["tfidf/data"][:], f["tfidf/indices"][:],
                         f["tfidf/indptr"][:]), shape=shape)
names = list(vec.get_feature_names_out())
fails = []
if terms != names:
    extra = set(terms) ^ set(names)
    fails.append(f"vocabularies differ ({len(terms)} vs {len(names)}; "
                 f"e.g. {sorted(extra)[:5]})")
elif got.shape != ref.shape:
    fails.append(f"shapes differ: {got.shape} vs {ref.shape}")
else:
    d_idf = float(np.max(np.abs(idf - vec.idf_)))
    diff = abs(got.astype(np.float64) - ref)
    d_mat = float(diff.max()) if diff.nnz else 0.0
    if d_idf > 1e-9:
        fails.append(f"idf differs by {d_idf:g}")
    if d_mat > 1e-5:
        fails.append(f"matrix differs by {d_mat:g}")
    if got.nnz != ref.nnz:
        fails.append(f"non-zeros differ: {got.nnz} vs {ref.nnz}")
label = f"min_df={min_df} max_df={max_df} sublinear={sub} smooth={smooth} norm={norm}"
if fails:
    print(f"FAIL sklearn equivalence ({label}): " + "; ".join(fails))
    sys.exit(1)
print(f"ok sklearn equivalence ({label}): {ref.shape[0]} docs x "
      f"{ref.shape[1]} terms, {ref.nnz} non-zeros, max |diff| {d_mat:.2g}")
