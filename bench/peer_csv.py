#!/usr/bin/env python3
"""The python3 peer: CSV rows to NDJSON with csv.DictReader + json.dumps.

    python3 bench/peer_csv.py FILE.csv > out.ndjson

About the simplest correct script a user would write instead of casepipe
parse: header names as keys, every value a string, one object per line.
It adds no _source, so it does a little less work than casepipe.
"""

import csv
import json
import sys


def main():
    if len(sys.argv) != 2:
        print("usage: peer_csv.py FILE.csv", file=sys.stderr)
        return 2
    out = sys.stdout
    dumps = json.dumps
    with open(sys.argv[1], newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out.write(dumps(row, ensure_ascii=False))
            out.write("\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
