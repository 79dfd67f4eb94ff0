#!/usr/bin/env python3
"""Summarizes run-rounds.sh results: per-round scores, means, and Muxgate's ratios.

    python3 benchmarks/summarize.py benchmarks/target/rounds
"""
import glob
import json
import os
import re
import statistics
import sys

directory = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "target", "rounds")
scores = {}  # (round, "Workload.impl") -> (score, error)
for path in glob.glob(os.path.join(directory, "r*-*.json")):
    match = re.match(r"r(\d+)-", os.path.basename(path))
    if not match:
        continue
    with open(path) as f:
        for result in json.load(f):
            name = result["benchmark"].replace("org.muxgate.benchmarks.", "")
            metric = result["primaryMetric"]
            scores[(int(match.group(1)), name)] = (metric["score"], metric["scoreError"])
if not scores:
    sys.exit("no results in " + directory)

rounds = sorted({r for r, _ in scores})
names = sorted({n for _, n in scores})


def mean(name):
    values = [scores[(r, name)][0] for r in rounds if (r, name) in scores]
    return statistics.mean(values) if values else float("nan")


print("%-46s" % "Benchmark (ops/s)" + "".join("%22s" % ("round %d" % r) for r in rounds) + "%13s" % "mean")
for name in names:
    cells = ""
    for r in rounds:
        if (r, name) in scores:
            score, error = scores[(r, name)]
            cells += "%13.0f ±%4.0f%%" % (score, 100 * error / score if score else 0)
        else:
            cells += "%22s" % "-"
    print("%-46s%s%13.0f" % (name, cells, mean(name)))

print()
print("%-24s %-30s %-22s %s" % ("Workload", "ratio", "per round", "of the means"))
for workload in sorted({n.split(".")[0] for n in names}):
    mux = workload + ".muxgate"
    for other in sorted(n for n in names if n.startswith(workload + ".") and n != mux):
        per_round = [scores[(r, mux)][0] / scores[(r, other)][0]
                     for r in rounds if (r, mux) in scores and (r, other) in scores]
        print("%-24s %-30s %-22s %.2f" % (workload, "muxgate/" + other.split(".")[1],
                                          " ".join("%.2f" % x for x in per_round), mean(mux) / mean(other)))
