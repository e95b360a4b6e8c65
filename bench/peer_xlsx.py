#!/usr/bin/env python3
"""The python3 peer for xlsx: the first sheet's rows to NDJSON objects.

    python3 bench/peer_xlsx.py FILE.xlsx > out.ndjson

openpyxl (Debian python3-openpyxl) in read-only mode, which streams the
sheet: the script a user would write instead of casepipe parse.  The first
row names the columns; values are written with str() (None as ""), so
dates come out as "2024-04-25 00:00:00" and numbers as openpyxl reads them:
it does a little less work than casepipe (no _source, no value rules).
"""

import json
import sys

import openpyxl


def main():
    if len(sys.argv) != 2:
        print("usage: peer_xlsx.py FILE.xlsx", file=sys.stderr)
        return 2
    wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
    out = sys.stdout
    dumps = json.dumps
    rows = wb.worksheets[0].iter_rows(values_only=True)
    header = ["" if v is None else str(v) for v in next(rows, ())]
    for row in rows:
        rec = {h: ("" if v is None else str(v)) for h, v in zip(header, row)}
        out.write(dumps(rec, ensure_ascii=False))
        out.write("\n")
    out.flush()
    wb.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
