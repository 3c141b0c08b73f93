"""The leaves of a two-level taxonomy, for scoring the specific level.

usage: leaves.py ASSIGNMENTS.csv OUT.csv

Writes id,leaf: a document's sub-theme, or its theme ("theme-T") when that
theme has no sub-themes; -1 stays -1 (no theme). Scoring the subtheme
column as it is would count the documents of every unsplit theme as one
group, which no reader of the report sees.
"""
import csv
import sys

with open(sys.argv[1], newline="") as f, open(sys.argv[2], "w", newline="") as o:
    w = csv.writer(o)
    w.writerow(["id", "leaf"])
    for r in csv.DictReader(f):
        sub, theme = r["subtheme"], r["theme"]
        leaf = sub if sub != "-1" or theme == "-1" else "theme-" + theme
        w.writerow([r["id"], leaf])
