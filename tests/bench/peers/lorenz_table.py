"""Reads the JSON lines of bench_ode_lorenz and lorenz_scipy.py (first line: the reference) on stdin and
prints one markdown table."""
import json
import sys

rows = [json.loads(line) for line in sys.stdin if line.strip()]
ref = rows.pop(0)
print("### Lorenz t=0..100 (error: max abs at t=10 vs %s; CVODE 1e-12 differs by %.1e)"
      % (ref["reference"], ref["cvodeDisagreement"]))
print("| solver | rtol | atol | median ms | steps | f evals | error at t=10 |")
print("|---|---|---|---|---|---|---|")
for r in rows:
    print("| %s | %g | %g | %.3f | %d | %d | %.2e |" % (r["solver"], r["rtol"], r["atol"], r["medianMs"],
                                                       r["steps"], r["rhsEvals"], r["errorAt10"]))
