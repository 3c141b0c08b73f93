"""Peers for the themes speed benchmark, on the same data libtext used:
TruncatedSVD(100) on the TF-IDF matrix of VECTORS.h5, and k-means (k=50,
20 iterations, one init) with scikit-learn and FAISS on the float32 matrix
in COORDS.bin (rows x 100). Prints NAME SECONDS PEAK_MB lines.
usage: sk_speed.py VECTORS.h5 COORDS.bin ROWS"""
import resource, sys, time

import h5py
import numpy as np
import scipy.sparse as sp

h5, coords, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
what = sys.argv[4] if len(sys.argv) > 4 else "all"
def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
if what in ("all", "svd"):
    from sklearn.decomposition import TruncatedSVD
    with h5py.File(h5, "r") as f:
        X = sp.csr_matrix((f["tfidf/data"][:], f["tfidf/indices"][:], f["tfidf/indptr"][:]),
                          shape=tuple(f["tfidf/shape"][:]))
    t = time.perf_counter()
    TruncatedSVD(100, random_state=0).fit_transform(X)
    print("sklearn-svd", f"{time.perf_counter() - t:.2f}", f"{peak():.0f}", flush=True)
    del X
Z = np.fromfile(coords, dtype=np.float32).reshape(-1, 100)
if what in ("all", "kmeans"):
    from sklearn.cluster import KMeans
    t = time.perf_counter()
    KMeans(50, n_init=1, max_iter=20, tol=0, algorithm="lloyd", random_state=0).fit(Z)
    print("sklearn-kmeans", f"{time.perf_counter() - t:.2f}", f"{peak():.0f}", flush=True)
if what in ("all", "faiss"):
    import faiss
    t = time.perf_counter()
    km = faiss.Kmeans(Z.shape[1], 50, niter=20, seed=1, max_points_per_centroid=Z.shape[0])
    km.train(Z)
    print("faiss-kmeans", f"{time.perf_counter() - t:.2f}", f"{peak():.0f}", flush=True)
