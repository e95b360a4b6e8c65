#!/usr/bin/env python3
"""Conservation check: records and values survive the whole chain.

For each input format bench/gen.py writes (csv, tsv, ndjson, json, xml),
ROWS generated rows (default 20,000) are parsed once: that is the
reference.  Then, for each format `emit --help` offers:

  1. parse -> emit -> parse (no normalise): the same number of records,
     and every record has exactly the reference's fields and values, in
     order.  This proves that the emit/parse pair of that format keeps
     every value byte for byte.
  2. parse -> normalise -> validate -> emit --meta -> parse: the same
     number of records (none rejected: exit status 0 or 1 with no
     "rejected" message), and every reference value is found again, either
     as the value or, where normalise rewrote it, as its _raw original
     (emit --meta carries _raw through every format).

Exit status 0 when every combination holds, 1 otherwise.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INPUTS = ["csv", "tsv", "ndjson", "json", "xml"]


def run(args, **kw):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def emit_formats(bin_):
    """The output formats `casepipe emit --help` lists."""
    text = run([bin_, "emit", "--help"]).stdout.decode() + run([bin_, "emit", "--help"]).stderr.decode()
    m = re.search(r"--format FMT\s+([^\n]*)", text)
    words = re.findall(r"[a-z]+", re.sub(r"\([^)]*\)?", "", m.group(1))) if m else []
    fmts = [w for w in words if w in ("ndjson", "csv", "tsv", "json", "xml")]
    return fmts or ["ndjson", "csv", "tsv"]


def records(ndjson_bytes):
    out = []
    for line in ndjson_bytes.decode("utf-8").splitlines():
        out.append(json.loads(line))
    return out


def fields(rec):
    return [(k, v) for k, v in rec.items() if not k.startswith("_")]


def round_trip(bin_, chain, fout, out, what, no_rejects, nref, problems):
    """Runs casepipe CHAIN (which writes OUT as FOUT), parses OUT back and
    returns its records; on a failed status (or, with NO_REJECTS, a record
    rejected on the way) notes a problem and returns None.  A record count
    other than NREF is noted too."""
    r = run([bin_] + chain)
    back = run([bin_, "parse", "-f", fout, out])
    if r.returncode > 1 or back.returncode > 1 or (no_rejects and b"rejected" in r.stderr + back.stderr):
        problems.append("%s: status %d/%d: %s%s" % (what, r.returncode, back.returncode,
                                                  r.stderr.decode()[:200], back.stderr.decode()[:200]))
        return None
    got = records(back.stdout)
    if len(got) != nref:
        problems.append("%s: %d records in, %d out" % (what, nref, len(got)))
    return got


def main():
    bin_ = os.path.abspath(sys.argv[1])
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    fmts = emit_formats(bin_)
    problems = []
    checks = 0
    with tempfile.TemporaryDirectory() as tmp:
        for fin in INPUTS:
            src = os.path.join(tmp, "in." + fin)
            subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen.py"), "--rows", str(rows),
                            "--format", fin, "--seed", "7", "-o", src], check=True)
            ref_run = run([bin_, "parse", "-f", fin, src])
            if ref_run.returncode not in (0, 1) or b"rejected" in ref_run.stderr:
                problems.append("%s: the reference parse failed: %s" % (fin, ref_run.stderr.decode()[:300]))
                continue
            ref = records(ref_run.stdout)
            if len(ref) != rows:
                problems.append("%s: %d rows generated, %d records parsed" % (fin, rows, len(ref)))
            for fout in fmts:
                out = os.path.join(tmp, "out." + fout)
                # 1. Without normalise: values byte for byte.
                checks += 1
                what = "%s -> emit %s -> parse" % (fin, fout)
                got = round_trip(bin_, ["parse", "-f", fin, src, "then", "emit", "--format", fout, "-o", out],
                                 fout, out, what, False, len(ref), problems)
                if got is None:
                    continue
                bad = [i for i, (a, b) in enumerate(zip(ref, got)) if fields(a) != fields(b)]
                if bad:
                    i = bad[0]
                    problems.append("%s: %d records differ; first, record %d:\n  %s\n  %s" % (
                        what, len(bad), i + 1, fields(ref[i]), fields(got[i])))
                # 2. The whole chain, with --meta: counts, and values or _raw.
                checks += 1
                what = "%s -> normalise -> validate -> emit %s --meta -> parse" % (fin, fout)
                got = round_trip(bin_, ["parse", "-f", fin, src, "then", "normalise", "then", "validate",
                                        "--today", "2025-01-15", "then", "emit", "--format", fout, "--meta",
                                        "-o", out],
                                 fout, out, what, True, len(ref), problems)
                if got is None:
                    continue
                nbad = 0
                first = None
                for a, b in zip(ref, got):
                    raw = b.get("_raw", {})
                    have = {k: raw.get(k, v) for k, v in fields(b)}
                    if {k: v for k, v in fields(a)} != have:
                        nbad += 1
                        first = first or (fields(a), have)
                if nbad:
                    problems.append("%s: %d records lose values; first:\n  %s\n  %s" % (what, nbad, first[0], first[1]))
    for p in problems:
        print("FAIL: conservation: " + p)
    print("conservation: %d input formats x %d output formats, %d rows each: %d checks, %d failed"
          % (len(INPUTS), len(fmts), rows, checks, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
