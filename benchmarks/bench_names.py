"""Time the name tagger on ~1 MB of text (the seeds repeated) and print the figure.

Usage: python benchmarks/bench_names.py [megabytes] [repeats] [scaled megabytes]

CPU time (``time.process_time``) is the best of ``repeats`` runs (default 3):
wall-clock time on a shared machine says more about the neighbours.  With a
third argument (say 4), the tagger also runs on a text that many megabytes
long and the CPU time per megabyte of both is printed: about equal if the
cost grows linearly with the length of a text.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from edition.enrich.names import NameTagger
from edition.model import Block, Division, SourceDocument, SourceMeta
from edition.register import Register

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def corpus(megabytes: float) -> str:
    """The seeds concatenated (one paragraph each) until ``megabytes`` long."""
    parts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    text = "\n\n".join(parts)
    size = int(megabytes * 1_000_000)
    return ("\n\n".join([text] * (size // len(text) + 1)))[:size]


def document(text: str) -> SourceDocument:
    """``text`` as a plain document, one block per paragraph."""
    blocks = []
    start = 0
    for para in text.split("\n\n"):
        blocks.append(Block("p", start, start + len(para)))
        start += len(para) + 2
    return SourceDocument(path="bench.txt", text=text, meta=SourceMeta(id="bench"),
                          profile="plain", body=Division("body", blocks))


def best_cpu(tagger: NameTagger, doc: SourceDocument, repeats: int) -> tuple[float, int]:
    """Best CPU time of ``repeats`` runs, and the number of spans."""
    cpu = []
    spans = []
    for _ in range(repeats):
        c1 = time.process_time()
        spans = list(tagger(doc))
        cpu.append(time.process_time() - c1)
    return min(cpu), len(spans)


def main() -> None:
    megabytes = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    scaled = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
    text = corpus(megabytes)
    doc = document(text)
    t0 = time.perf_counter()
    tagger = NameTagger(Register.load())
    t1 = time.perf_counter()
    best, spans = best_cpu(tagger, doc, repeats)
    print(f"register load + trie: {t1 - t0:.3f} s")
    print(f"tagging {len(text) / 1e6:.2f} MB: {spans} spans; CPU time best of {repeats} "
          f"{best:.3f} s ({spans / best:.0f} spans/s)")
    if scaled:
        big = corpus(scaled)
        big_best, _ = best_cpu(tagger, document(big), repeats)
        print(f"CPU per MB: {best / (len(text) / 1e6):.3f} s at {len(text) / 1e6:.2f} MB, "
              f"{big_best / (len(big) / 1e6):.3f} s at {len(big) / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
