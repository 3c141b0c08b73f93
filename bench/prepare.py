"""Writes each labelled corpus of ../shared/corpora as one CSV (id,text,label)
in OUTDIR, so libtext and scikit-learn read identical rows.
usage: prepare.py SHARED_CORPORA OUTDIR"""
import csv, os, sys

src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)

def write(name, rows):
    with open(os.path.join(out, name + ".csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "text", "label"])
        for i, (t, l) in enumerate(rows):
            w.writerow([f"{name}-{i + 1}", t, l])

rows = []
for part in ("train.csv", "test.csv"):
    with open(os.path.join(src, "banking77", part), newline="", encoding="utf-8") as f:
        rows += [(r["text"], r["category"]) for r in csv.DictReader(f)]
write("banking77", rows)
for name, d, tf, lf in (("stackoverflow", "stackoverflow_stc", "title_StackOverflow.txt", "label_StackOverflow.txt"),
                        ("searchsnippets", "searchsnippets_stc", "SearchSnippets.txt", "SearchSnippets_gnd.txt"),
                        ("biomedical", "biomedical_stc", "Biomedical.txt", "Biomedical_gnd.txt")):
    texts = open(os.path.join(src, d, tf), encoding="utf-8-sig", errors="replace").read().split("\n")
    labels = open(os.path.join(src, d, lf)).read().split()
    write(name, list(zip(texts, labels)))
