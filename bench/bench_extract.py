"""Benchmark: extraction speed and memory on the sample documents (and on a larger synthetic corpus).

Run: ``.venv/bin/python bench/bench_extract.py [--repeat N]``.  Prints MB/s of text per core (one
process, one core) and the peak memory of the extraction.  Results are written down in the README;
no test asserts a time.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from ingest.document import document_from_bytes
from ingest.extract import extract_document

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=20, help="passes over the sample documents")
    ap.add_argument("--raw", type=Path, default=ROOT / "data" / "raw")
    a = ap.parse_args()
    files = [(p.name, p.read_bytes()) for p in sorted(a.raw.glob("*.txt"))]
    size = sum(len(b) for _, b in files)
    # warm-up (imports, regex compilation)
    for name, data in files:
        extract_document(document_from_bytes(data, name))
    t0 = time.process_time()
    w0 = time.perf_counter()
    facts = 0
    for _ in range(a.repeat):
        for name, data in files:
            facts += len(extract_document(document_from_bytes(data, name)).facts)
    cpu = time.process_time() - t0
    wall = time.perf_counter() - w0
    mb = size * a.repeat / 1e6
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"documents: {len(files)} ({size / 1e3:.0f} KB), passes: {a.repeat}, facts per pass: {facts // a.repeat}")
    print(f"extraction: {mb / cpu:.2f} MB/s of text per core (cpu {cpu:.2f} s, wall {wall:.2f} s)")
    print(f"one pass over the samples: {cpu / a.repeat * 1000:.0f} ms cpu")
    print(f"peak memory (whole process): {peak:.0f} MB")


if __name__ == "__main__":
    main()
