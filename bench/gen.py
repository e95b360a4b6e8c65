#!/usr/bin/env python3
r'''Generate realistic immigration case rows for casepipe's benchmark.

Deterministic: the same options give the same bytes (fixed seed, Python's
Mersenne Twister, no hash-ordered containers).  Standard library only.

    python3 bench/gen.py [--rows N] [--format csv|tsv|ndjson|xml|json] [-o FILE]

Columns: case_id, client_name, receipt_number, a_number,
uscis_online_account_number, form_type, filing_method, status,
priority_date, notes.

The identifier columns hold a realistic mix: mostly clean values, some in
the written forms that spreadsheets and people produce (`A# 12345678`,
`EAC-21-900-12345`, `1234 5678 9012`, `123456789012.0`, `1.23457E+11`,
`="EAC2190012345"`, placeholders such as N/A, empty), and a few invalid
ones, so the normalise and validate stages can be benchmarked on the same
file.  About 14% of rows have a multi-line notes value; others hold commas,
doubled quotes, a tab, or leading and trailing spaces.

csv:    RFC 4180, LF line ends, a field is quoted only when it contains a
        comma, a double quote, CR or LF (so `="EAC..."` is written as
        `"=""EAC..."""` and reads back as `="EAC..."`).
tsv:    tab-separated, no quoting; a tab, LF, CR or backslash inside a value
        is written as \t, \n, \r, \\.
ndjson: one JSON object per line, keys in column order, all values strings.
json:   one top-level array of those objects, one per line, indented.
xml:    <cases> holding one <case> per row, indented, one child element per
        column in column order (<notes/> when empty); & < > are escaped,
        and CR as &#13; so that values read back byte for byte.
'''

import argparse
import json
import os
import random
import re
import sys

COLUMNS = (
    "case_id", "client_name", "receipt_number", "a_number",
    "uscis_online_account_number", "form_type", "filing_method", "status",
    "priority_date", "notes",
)

FIRST = (
    "Maria", "Jose", "José", "Juan", "Ana", "Luis", "Carlos", "Sofia",
    "Wei", "Li", "Min-jun", "Ji-woo", "Priya", "Arjun", "Ravi", "Aisha",
    "Fatima", "Mohammed", "Omar", "Yusuf", "Nguyen", "Thanh", "Linh",
    "Olga", "Ivan", "Łukasz", "Zoë", "Chloé", "François", "Adaeze",
    "Chinedu", "Kwame", "Amara", "Tenzin", "Hiroshi", "Yuki", "Daniel",
    "Sarah", "Michael", "Emily", "David", "Gabriela", "Andrés", "Mateo",
    "Valentina", "Lucía", "Ahmed", "Mariam", "Elena", "Dmitri", "Siddharth",
    "Mei", "Xin", "Renée", "Søren", "Bogdan", "Nadia", "Samir", "Leila",
    "John", "Grace",
)
LAST = (
    "Garcia", "García", "Rodriguez", "Hernandez", "Lopez", "Martinez",
    "Gonzalez", "Perez", "Sanchez", "Ramirez", "Nguyen", "Nguyễn", "Tran",
    "Le", "Pham", "Kim", "Lee", "Park", "Choi", "Wang", "Li", "Zhang", "Liu",
    "Chen", "Patel", "Shah", "Singh", "Kumar", "Khan", "Ali", "Hussain",
    "Ahmed", "Al-Sayed", "Okafor", "Adeyemi", "Mensah", "Kowalski",
    "Nowak", "Müller", "Schmidt", "Ivanov", "Petrova", "O'Brien",
    "O'Connor", "Smith", "Johnson", "Brown", "de la Cruz", "Dos Santos",
    "Silva", "Pereira", "Haddad", "Yilmaz", "Tanaka", "Sato", "Cohen",
    "Rossi", "Dubois", "李", "Gómez Peña",
)

# Weighted pools are expanded lists: pool[int(r() * len(pool))] is a
# weighted choice for one random() call.
def expand(pairs):
    out = []
    for value, weight in pairs:
        out.extend([value] * weight)
    return tuple(out)

FORMS_ONLINE = expand((
    ("I-130", 18), ("I-765", 20), ("I-131", 8), ("N-400", 22), ("I-90", 10),
    ("I-539", 6), ("I-821D", 6), ("N-600", 3), ("I-589", 5), ("I-485", 2),
))
FORMS_PAPER = expand((
    ("I-130", 18), ("I-485", 20), ("I-765", 12), ("I-131", 6), ("I-140", 8),
    ("I-129F", 6), ("I-751", 8), ("I-864", 4), ("N-400", 6), ("I-601A", 4),
    ("I-360", 3), ("I-129", 5),
))
FORMS_CONSULAR = expand((("I-130", 50), ("I-129F", 20), ("DS-260", 20), ("I-140", 10)))

STATUSES = expand((
    ("Case Was Received", 20), ("Case Is Being Actively Reviewed", 10),
    ("Fingerprint Fee Was Received", 6), ("Request for Evidence Was Sent", 8),
    ("Response To RFE Was Received", 5), ("Interview Was Scheduled", 6),
    ("Case Was Approved", 14), ("Card Was Mailed", 8), ("Card Was Delivered", 6),
    ("Case Was Denied", 3), ("Case Was Transferred", 4), ("Withdrawn", 1),
    ("Pending", 4), ("Closed", 3), ("", 2),
))

# Prefixes by filing method; rare and unknown ones come from the
# invalid/suspicious branch below.
PREFIX_PAPER = expand((
    ("EAC", 20), ("WAC", 20), ("LIN", 18), ("SRC", 16), ("NBC", 12),
    ("MSC", 8), ("YSC", 6),
))
PREFIX_RARE = ("VSC", "CSC", "NSC", "TSC", "ZAR", "ZLA", "ZNY", "ZSF")
PREFIX_UNKNOWN = ("XYZ", "EAV", "ABC", "WCA", "USC", "NVC")

PLACEHOLDERS = expand((
    ("N/A", 6), ("n/a", 3), ("NA", 2), ("none", 2), ("None", 1), ("-", 3),
    ("--", 1), ("TBD", 2), ("pending", 2), ("unknown", 1), ("?", 1),
    ("null", 1), ("Pending", 1),
))

NOTE_PLAIN = (
    "RFE received", "Biometrics scheduled", "Client moved to Texas",
    "Waiting on birth certificate translation", "Paid fee by check 1042",
    "Case transferred to NBC", "Interview at Newark field office",
    "Expedite request denied", "Sent receipt notice to client",
    "Approval notice received", "EAD card mailed", "Need new passport photos",
    "Spouse petition filed separately", "Priority date current",
    "Waiting for I-864 from joint sponsor", "Medical exam done",
    "Travel document approved", "Left voicemail", "Client paid in full",
    "Conflict check cleared", "Engagement letter signed",
    "Address change filed (AR-11)", "Name on passport differs from birth certificate",
    "Prior counsel file requested", "FOIA request pending",
)
NOTE_TRICKY = (
    "Called client, left voicemail", 'Client says "card never arrived"',
    "RFE: I-864 tax transcripts, 2019 and 2020",
    "Spouse's passport expired, renewal pending",
    'Receipt notice says "EAC" but case is at NBC',
    "Fee\t$675", "Paid $535, $85 biometrics",
    '"Urgent" per attorney, follow up Monday', "  Client prefers email  ",
    "Docs: birth cert, marriage cert, I-94",
)
NOTE_LINES = NOTE_PLAIN + NOTE_TRICKY + (
    "Sent RFE response via FedEx", "Client's A-Number on old EAD: A# 12345678",
    "Interpreter needed (Spanish)", 'Mother\'s name spelled "Maria" on I-130',
    "Called USCIS contact center, ref #3312", "Biometrics done, waiting",
)


def make_rows(rng, nrows, start=0):
    """Yield lists of 10 string values, one per row."""
    r = rng.random
    recent_receipts = ["EAC2190012345"] * 64
    recent_oans = ["123456789012"] * 64
    # Locals are faster than globals in the loop below.
    first_names, last_names = FIRST, LAST
    nf, nl = len(FIRST), len(LAST)
    prefix_paper, npp = PREFIX_PAPER, len(PREFIX_PAPER)
    placeholders, nph = PLACEHOLDERS, len(PLACEHOLDERS)
    statuses, nst = STATUSES, len(STATUSES)
    note_plain, nnp = NOTE_PLAIN, len(NOTE_PLAIN)
    note_tricky, nnt = NOTE_TRICKY, len(NOTE_TRICKY)
    note_lines, nnl = NOTE_LINES, len(NOTE_LINES)
    for i in range(start, start + nrows):
        # case_id
        case_id = "CP-%07d" % (i + 1)

        # client_name
        first = first_names[int(r() * nf)]
        last = last_names[int(r() * nl)]
        x = r()
        if x < 0.70:
            name = first + " " + last
        elif x < 0.85:
            name = last + ", " + first
        elif x < 0.93:
            name = "%s %s. %s" % (first, "ABCDEFGHJKLMNPRSTW"[int(r() * 18)], last)
        elif x < 0.97:
            name = (last + ", " + first).upper()
        elif x < 0.99:
            name = " " + first + " " + last + " "
        else:
            name = first + " " + last + "\u00a0"  # Excel keeps NBSP

        # filing_method
        x = r()
        if x < 0.45:
            method, forms = "online", FORMS_ONLINE
        elif x < 0.90:
            method, forms = "paper", FORMS_PAPER
        else:
            method, forms = "consular", FORMS_CONSULAR
        form = forms[int(r() * len(forms))]

        # receipt_number: clean value first, then its written form.
        if method == "online":
            prefix = "IOE"
            digits = "%010d" % int(r() * 10_000_000_000)
        else:
            prefix = prefix_paper[int(r() * npp)]
            yy = 15 + int(r() * 10)
            if r() < 0.5:   # older layout CCC YY DDD NNNNN
                digits = "%02d%03d%s%04d" % (yy, 1 + int(r() * 270),
                                             "50"[int(r() * 2)], int(r() * 10000))
            else:           # newer layout CCC YY 9 DDD NNNN
                digits = "%02d9%03d%04d" % (yy, 1 + int(r() * 270), int(r() * 10000))
        receipt = prefix + digits
        x = r()
        if x < 0.80:
            pass
        elif x < 0.84:
            receipt = receipt.lower()
        elif x < 0.87:
            receipt = "%s-%s-%s-%s" % (prefix, digits[:2], digits[2:5], digits[5:])
        elif x < 0.885:
            receipt = "%s %s %s %s" % (prefix, digits[:2], digits[2:5], digits[5:])
        elif x < 0.90:
            receipt = '="%s"' % receipt
        elif x < 0.905:
            receipt = prefix + "\u2013" + digits       # en dash
        elif x < 0.91:
            receipt = " " + receipt + " "
        elif x < 0.95:
            receipt = ""
        elif x < 0.96:
            receipt = placeholders[int(r() * nph)]
        elif x < 0.965:
            receipt = recent_receipts[int(r() * 64)]   # duplicate
        elif x < 0.97:
            receipt = PREFIX_RARE[int(r() * len(PREFIX_RARE))] + digits
        else:   # invalid, about 3%
            y = int(r() * 7)
            if y == 0:
                receipt = PREFIX_UNKNOWN[int(r() * len(PREFIX_UNKNOWN))] + digits
            elif y == 1:
                receipt = digits                       # missing prefix
            elif y == 2:
                receipt = prefix + digits[:-1]         # 12 characters
            elif y == 3:
                receipt = prefix + digits + "7"        # 14 characters
            elif y == 4:
                receipt = prefix + digits.replace("0", "O", 1)  # look-alike
            elif y == 5:
                receipt = prefix + "0000000000"
            else:
                receipt = prefix + digits[:4] + "*" + digits[5:]  # asterisk
        recent_receipts[i & 63] = prefix + digits

        # a_number: most are A0xxxxxxxx; newer ones A2xxxxxxxx.
        anum = 1_000_000 + int(r() * 249_000_000)
        x = r()
        if x < 0.70:
            a_number = "A%09d" % anum
        elif x < 0.76:
            a_number = "A%d" % anum                    # unpadded
        elif x < 0.79:
            a_number = "A# %d" % anum
        elif x < 0.81:
            s = "%09d" % anum
            a_number = "A-%s-%s-%s" % (s[:3], s[3:6], s[6:])
        elif x < 0.84:
            a_number = "%d" % anum                     # Excel dropped the A
        elif x < 0.85:
            a_number = "USCIS# %09d" % anum
        elif x < 0.86:
            a_number = "a%09d" % anum
        elif x < 0.94:
            a_number = ""
        elif x < 0.96:
            a_number = placeholders[int(r() * nph)]
        elif x < 0.97:
            a_number = "%d.0" % anum                   # float round trip
        else:   # invalid or suspicious, about 3%
            y = int(r() * 7)
            if y == 0:
                a_number = "A%d" % (anum % 1_000_000)  # too short
            elif y == 1:
                a_number = "A%d" % (anum * 10 + 3 + 1_000_000_000)  # too long
            elif y == 2:
                a_number = ("A%09d" % anum).replace("0", "O", 2)
            elif y == 3:
                a_number = "A000000000"
            elif y == 4:
                a_number = "A" + "123456789"[int(r() * 9)] * 9
            elif y == 5:
                a_number = "%012d" % (100_000_000_000 + int(r() * 899_999_999_999))
            else:
                a_number = receipt if receipt else "EAC2190012345"  # swapped

        # uscis_online_account_number: online filers mostly have one,
        # paper filers sometimes, consular rarely.
        x = r()
        has = x < (0.92 if method == "online" else 0.35 if method == "paper" else 0.04)
        if has:
            v = 100_000_000_000 + int(r() * 899_999_999_999)
            s = "%d" % v
            x = r()
            if x < 0.78:
                oan = s
            elif x < 0.83:
                oan = "%s %s %s" % (s[:4], s[4:8], s[8:])
            elif x < 0.86:
                oan = "%s-%s-%s" % (s[:4], s[4:8], s[8:])
            elif x < 0.90:
                oan = s + ".0"
            elif x < 0.93:
                oan = "%.5E" % v                       # digits lost
            elif x < 0.94:
                oan = "%.11E" % v                      # recoverable
            elif x < 0.95:
                oan = '="%s"' % s
            elif x < 0.955:
                oan = recent_oans[int(r() * 64)]       # shared account
            else:   # invalid, about 4.5% of present values
                y = int(r() * 5)
                if y == 0:
                    oan = s[1:]                        # 11 digits
                elif y == 1:
                    oan = s + "4"
                elif y == 2:
                    oan = s[:6] + "O" + s[7:]
                elif y == 3:
                    oan = "A%09d" % anum
                else:
                    oan = "000000000000"
            recent_oans[i & 63] = s
        else:
            x = r()
            oan = placeholders[int(r() * nph)] if x < 0.08 else ""

        # priority_date
        x = r()
        if x < 0.85:
            y, m, d = 2012 + int(r() * 13), 1 + int(r() * 12), 1 + int(r() * 28)
            if x < 0.72:
                pdate = "%04d-%02d-%02d" % (y, m, d)
            else:
                pdate = "%d/%d/%04d" % (m, d, y)
        else:
            pdate = ""

        status = statuses[int(r() * nst)]

        # notes: about 45% empty, 32% one plain line, 9% one line with a
        # comma/quote/tab/spaces, 14% multi-line.
        x = r()
        if x < 0.45:
            notes = ""
        elif x < 0.77:
            notes = note_plain[int(r() * nnp)]
        elif x < 0.86:
            notes = note_tricky[int(r() * nnt)]
        else:
            k = 2 + int(r() * 2)
            parts = []
            for _ in range(k):
                line = note_lines[int(r() * nnl)]
                if r() < 0.4:
                    line = "%04d-%02d-%02d: %s" % (2019 + int(r() * 6), 1 + int(r() * 12),
                                                   1 + int(r() * 28), line)
                parts.append(line)
            sep = "\n\n" if r() < 0.1 else "\n"    # blank line inside a value
            notes = sep.join(parts)

        yield [case_id, name, receipt, a_number, oan, form, method, status,
               pdate, notes]


# Columns whose values may need quoting or escaping.
RISKY = (1, 2, 3, 4, 9)
_csv_special = re.compile('[",\r\n]').search
_tsv_special = re.compile("[\t\n\r\\\\]").search
_tsv_map = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def fmt_csv(vals):
    for j in RISKY:
        s = vals[j]
        if _csv_special(s):
            vals[j] = '"' + s.replace('"', '""') + '"'
    return ",".join(vals) + "\n"


def fmt_tsv(vals):
    for j in RISKY:
        s = vals[j]
        if _tsv_special(s):
            vals[j] = s.translate(_tsv_map)
    return "\t".join(vals) + "\n"


_enc = json.encoder.encode_basestring  # C-accelerated when available
_keys = tuple(('{' if j == 0 else ',') + _enc(c) + ':' for j, c in enumerate(COLUMNS))


def fmt_ndjson(vals):
    k = _keys
    return "".join([k[0], _enc(vals[0]), k[1], _enc(vals[1]), k[2], _enc(vals[2]),
                    k[3], _enc(vals[3]), k[4], _enc(vals[4]), k[5], _enc(vals[5]),
                    k[6], _enc(vals[6]), k[7], _enc(vals[7]), k[8], _enc(vals[8]),
                    k[9], _enc(vals[9]), "}\n"])


_xml_map = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_xml_special = re.compile("[&<>\r]").search
_xml_open = tuple("    <%s>" % c for c in COLUMNS)
_xml_close = tuple("</%s>\n" % c for c in COLUMNS)
_xml_empty = tuple("    <%s/>\n" % c for c in COLUMNS)


def fmt_xml(vals):
    out = ["  <case>\n"]
    for j, s in enumerate(vals):
        if not s:
            out.append(_xml_empty[j])
            continue
        if _xml_special(s):
            s = s.translate(_xml_map)
        out.append(_xml_open[j])
        out.append(s)
        out.append(_xml_close[j])
    out.append("  </case>\n")
    return "".join(out)


_json_rows = [0]


def fmt_json(vals):
    sep = ",\n  " if _json_rows[0] else "  "
    _json_rows[0] += 1
    return sep + fmt_ndjson(vals)[:-1]


FORMATS = {
    "csv": (fmt_csv, ",".join(COLUMNS) + "\n"),
    "tsv": (fmt_tsv, "\t".join(COLUMNS) + "\n"),
    "ndjson": (fmt_ndjson, ""),
    "xml": (fmt_xml, '<?xml version="1.0" encoding="UTF-8"?>\n<cases>\n'),
    "json": (fmt_json, "[\n"),
}

# Text written after the last row.
FOOTERS = {"xml": "</cases>\n", "json": "\n]\n"}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000, help="data rows (default 1000000)")
    ap.add_argument("--format", choices=sorted(FORMATS), default="csv")
    ap.add_argument("--seed", type=int, default=20240101, help="random seed (default fixed)")
    ap.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default stdout)")
    a = ap.parse_args(argv)
    if a.rows < 0:
        ap.error("--rows must be >= 0")

    fmt, header = FORMATS[a.format]
    rng = random.Random(a.seed)
    if a.output:
        tmp = a.output + ".tmp"
        out = open(tmp, "wb")
    else:
        out = sys.stdout.buffer
    try:
        buf = [header]
        for vals in make_rows(rng, a.rows):
            buf.append(fmt(vals))
            if len(buf) >= 20000:
                out.write("".join(buf).encode("utf-8"))
                buf = []
        buf.append(FOOTERS.get(a.format, ""))
        out.write("".join(buf).encode("utf-8"))
        out.flush()
    except BrokenPipeError:
        # `gen.py | head` ends quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    if a.output:
        out.close()
        os.replace(tmp, a.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
