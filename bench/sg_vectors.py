"""Skip-gram word vectors (gensim Word2Vec, negative sampling) trained on a
corpus CSV's text column, written in word2vec text format for
tx-themes --word-vectors. usage: sg_vectors.py CORPUS.csv OUT.vec SEED"""
import csv
import re
import sys
import time

from gensim.models import Word2Vec

src, out, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(src, encoding="utf-8", newline="") as f:
    docs = [re.findall(r"[\w'$-]+", row["text"].lower()) for row in csv.DictReader(f)]
start = time.time()
# The same window and dimension as libtext's PPMI vectors; 10 epochs
# because the corpora are small (gensim's default of 5 underfits them).
model = Word2Vec(docs, vector_size=100, window=5, sg=1, negative=5,
                 min_count=2, epochs=10, workers=2, seed=seed)
print(f"skip-gram training {time.time() - start:.1f} s", file=sys.stderr)
model.wv.save_word2vec_format(out)
