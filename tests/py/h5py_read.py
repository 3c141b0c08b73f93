"""A file written by tx-vectorize opens in h5py with the documented layout.
usage: h5py_read.py OUT.h5 N_DOCS N_REJECTED"""
import sys

import h5py
import numpy as np

path, n_docs, n_rej = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
fails = []
def check(cond, what):
    if not cond:
        fails.append(what)

with h5py.File(path, "r") as f:
    terms = f["vocab/terms"].asstr()[:]
    surface = f["vocab/surface"].asstr()[:]
    df = f["vocab/df"][:]
    idf = f["idf"][:]
    data, ind, ptr = f["tfidf/data"][:], f["tfidf/indices"][:], f["tfidf/indptr"][:]
    shape = f["tfidf/shape"][:]
    ids = f["docs/ids"].asstr()[:]
    check(f["tfidf/data"].dtype == np.float32, "tfidf/data is float32")
    check(f["tfidf/indices"].dtype == np.int32, "tfidf/indices is int32")
    check(f["tfidf/indptr"].dtype == np.int64, "tfidf/indptr is int64")
    check(idf.dtype == np.float64, "idf is float64")
    check(list(shape) == [n_docs, len(terms)], f"shape {list(shape)} == [{n_docs}, {len(terms)}]")
    check(len(ptr) == n_docs + 1 and ptr[-1] == len(data) == len(ind), "CSR lengths agree")
    check(len(ids) == n_docs, "one id per document")
    check(len(surface) == len(terms) == len(df) == len(idf), "vocab arrays agree")
    check(list(terms) == sorted(terms, key=lambda s: s.encode()), "terms sorted bytewise")
    check(f["docs/rejected_reasons"].shape == (n_rej,), f"{n_rej} rejected rows recorded")
    check(f.attrs["libtext_version"] != "", "version attribute")
    check(int(f.attrs["min_df"]) >= 1, "parameters stored as attributes")
    norms = np.sqrt(np.add.reduceat(data.astype(np.float64) ** 2, ptr[:-1])[np.diff(ptr) > 0])
    check(np.allclose(norms, 1.0, atol=1e-5), "rows have unit L2 norm")
    check(all(s for s in surface), "every term has a surface form")
    check("deliveri" not in set(surface), "surface forms are words, not stems")

if fails:
    print("FAIL h5py read: " + "; ".join(fails))
    sys.exit(1)
print(f"ok h5py read: {n_docs} docs x {len(terms)} terms, {n_rej} rejected")
