"""The long-documents corpus: 20,000 rows of 15 real snippets each (about
270 words a row), drawn with a fixed seed from the SearchSnippets and
Banking77 files bench/prepare.py writes.
usage: make_long_docs.py SRC_DIR OUT.csv"""
import csv, random, sys

random.seed(2)
src = []
for name in ("searchsnippets", "banking77"):
    src += [r["text"] for r in csv.DictReader(open(f"{sys.argv[1]}/{name}.csv"))]
w = csv.writer(open(sys.argv[2], "w", newline=""))
w.writerow(["id", "text"])
for i in range(20000):
    w.writerow([i, " ".join(random.choice(src) for _ in range(15))])
