"""Writes test inputs for tx-themes --embeddings / --word-vectors:
usage: make_vectors.py OUTDIR ROWS
  emb.npy (ROWS x 8 float32, two planted groups), emb64.npy (float64),
  emb.h5 (dataset 'embeddings'), nan.npy (a NaN in row 3), short.npy
  (ROWS-1 rows), words.txt (word2vec text), words.bin (word2vec binary),
  glove.txt (no header)."""
import struct, sys

import h5py
import numpy as np

out, rows = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(1)
e = rng.normal(0, 0.1, (rows, 8)).astype(np.float32)
e[: rows // 2, 0] += 1.0
e[rows // 2:, 1] += 1.0
np.save(f"{out}/emb.npy", e)
np.save(f"{out}/emb64.npy", e.astype(np.float64))
with h5py.File(f"{out}/emb.h5", "w") as f:
    f["embeddings"] = e
bad = e.copy(); bad[2, 5] = np.nan
np.save(f"{out}/nan.npy", bad)
np.save(f"{out}/short.npy", e[:-1])
words = {"parcel": [1, 0, 0, 0], "parcels": [1, 0.1, 0, 0], "delivery": [0.9, 0, 0.1, 0],
         "refund": [0, 1, 0, 0], "refunds": [0, 1, 0.1, 0], "charged": [0, 0.9, 0, 0.1]}
with open(f"{out}/words.txt", "w") as f:
    f.write(f"{len(words)} 4\n")
    for w, v in words.items():
        f.write(w + " " + " ".join(str(x) for x in v) + "\n")
with open(f"{out}/glove.txt", "w") as f:
    for w, v in words.items():
        f.write(w + " " + " ".join(str(x) for x in v) + "\n")
with open(f"{out}/words.bin", "wb") as f:
    f.write(f"{len(words)} 4\n".encode())
    for w, v in words.items():
        f.write(w.encode() + b" " + struct.pack("<4f", *v) + b"\n")
