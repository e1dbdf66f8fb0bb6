"""Writes the paragraphs of plain-text archives as JSON lines for scripts/bench.

Usage: python bench-paragraphs.py OUT.jsonl REPEAT FILE...
One {"id","dct","text"} line per blank-line-separated paragraph, the whole set
written REPEAT times (ids made distinct), so both taggers see the same text.
The files are read in place; nothing is copied into the repository.
"""
import json
import sys

out, repeat, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
paras = []
for path in files:
    with open(path, encoding="utf-8", errors="replace") as f:
        paras += [p.strip() for p in f.read().split("\n\n") if p.strip()]
words = 0
with open(out, "w", encoding="utf-8") as f:
    for r in range(repeat):
        for i, p in enumerate(paras):
            f.write(json.dumps({"id": f"r{r}-p{i}", "dct": "2023-05-03", "text": p}) + "\n")
            words += len(p.split())
print(words)
