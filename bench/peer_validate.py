#!/usr/bin/env python3
"""The python3 peer of `parse then normalise then validate`: csv + re.

    python3 bench/peer_validate.py FILE.csv > out.ndjson

The script a user would write instead: the common clean-up of the three
identifiers (trim, Excel wrappers, placeholders, trailing .0, separators,
case), A-Number padding, and the three format checks, with a code per
broken rule; a set of receipt numbers for duplicates.  It does less than
casepipe (no scientific notation, look-alikes, prefix registry, dates,
names or accounts across records), so it is a lower bound for python.
"""

import csv
import json
import re
import sys

PLACEHOLDERS = {"", "NA", "N/A", "NONE", "NULL", "-", "--", "TBD", "PENDING", "UNKNOWN", "?"}
WRAP = re.compile(r'^="(.*)"$|^[\'\u2019](.*)$')
SEPS = re.compile(r"[\s\-/#\u2010-\u2015\u2212]+")
FLOAT = re.compile(r"^(\d+)\.0+$")
RECEIPT = re.compile(r"^[A-Z]{3}\d{10}$")
ANUMBER = re.compile(r"^A?(\d{7,9})$")
OAN = re.compile(r"^\d{12}$")


def clean(value):
    v = value.strip(" \t\u00a0\u2007\u202f")
    m = WRAP.match(v)
    if m:
        v = m.group(1) if m.group(1) is not None else m.group(2)
    if v.upper() in PLACEHOLDERS:
        return ""
    m = FLOAT.match(v)
    if m:
        v = m.group(1)
    return SEPS.sub("", v).upper()


def main():
    if len(sys.argv) != 2:
        print("usage: peer_validate.py FILE.csv", file=sys.stderr)
        return 2
    out = sys.stdout
    dumps = json.dumps
    seen = set()
    with open(sys.argv[1], newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            raw, issues = {}, []
            r = clean(row["receipt_number"])
            a = clean(row["a_number"])
            if a.startswith("USCIS"):
                a = a[5:]
            o = clean(row["uscis_online_account_number"])
            m = ANUMBER.match(a)
            if m:
                a = "A" + m.group(1).rjust(9, "0")
            for field, v, ok, code in (("receipt_number", r, RECEIPT.match(r), "receipt.invalid"),
                                       ("a_number", a, m, "anumber.invalid"),
                                       ("uscis_online_account_number", o, OAN.match(o), "oan.invalid")):
                if v and not ok:
                    issues.append({"field": field, "code": code, "severity": "error"})
                elif v != row[field]:
                    raw[field] = row[field]
                    row[field] = v
            if r and RECEIPT.match(r):
                if r in seen:
                    issues.append({"field": "receipt_number", "code": "receipt.duplicate",
                                   "severity": "warning"})
                seen.add(r)
            if raw:
                row["_raw"] = raw
            if issues:
                row["_issues"] = issues
            out.write(dumps(row, ensure_ascii=False))
            out.write("\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
