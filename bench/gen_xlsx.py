#!/usr/bin/env python3
"""Write big.xlsx for casepipe's benchmark from big.csv: the same rows and
columns in one worksheet, as Excel would store them after a person typed or
pasted them: text in the shared string table, whole numbers of up to 15
digits without a leading zero (the account numbers) as number cells, ISO
dates (priority_date) as date serials with a date format.  Cells carry
their references (r="C7"), as Excel writes them.  Standard library only;
deterministic.

    python3 bench/gen_xlsx.py big.csv big.xlsx
"""

import csv
import datetime
import re
import sys
import zipfile

NS = ('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
NUMBER = re.compile(r"(0|[1-9][0-9]{0,14})\Z")
DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
EPOCH = datetime.date(1899, 12, 30)


CT = "application/vnd.openxmlformats-officedocument.spreadsheetml."
CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="' + CT + 'sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="' + CT + 'worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="' + CT + 'sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="' + CT + 'styles+xml"/>'
    '</Types>')


def col_name(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def esc(s):
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return s.replace("\r", "_x000D_")


def serial(m):
    try:
        return (datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3))) - EPOCH).days
    except ValueError:
        return None


def main():
    src, out = sys.argv[1], sys.argv[2]
    strings = {}
    with open(src, newline="", encoding="utf-8") as f, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        rows = csv.reader(f)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as w:
            w.write((DECL + "<worksheet %s><sheetData>" % NS).encode())
            cols = [col_name(i) for i in range(64)]
            buf = []
            for n, row in enumerate(rows, 1):
                cells = []
                for i, v in enumerate(row):
                    ref = "%s%d" % (cols[i], n)
                    if v == "":
                        continue
                    if n > 1 and NUMBER.match(v):
                        cells.append('<c r="%s"><v>%s</v></c>' % (ref, v))
                        continue
                    d = DATE.match(v) if n > 1 else None
                    s = serial(d) if d else None
                    if s is not None:
                        cells.append('<c r="%s" s="1"><v>%d</v></c>' % (ref, s))
                        continue
                    k = strings.setdefault(v, len(strings))
                    cells.append('<c r="%s" t="s"><v>%d</v></c>' % (ref, k))
                buf.append('<row r="%d">%s</row>' % (n, "".join(cells)))
                if len(buf) == 1000:
                    w.write("".join(buf).encode())
                    buf = []
            w.write(("".join(buf) + "</sheetData></worksheet>").encode())
        sst = [DECL, '<sst %s count="%d" uniqueCount="%d">' % (NS, len(strings), len(strings))]
        for s in strings:  # dicts keep insertion order: index order
            space = ' xml:space="preserve"' if s != s.strip() or "\n" in s else ""
            sst.append("<si><t%s>%s</t></si>" % (space, esc(s)))
        sst.append("</sst>")
        z.writestr("xl/sharedStrings.xml", "".join(sst))
        z.writestr("xl/styles.xml", DECL + '<styleSheet %s><cellXfs count="2"><xf numFmtId="0"/>'
                   '<xf numFmtId="14"/></cellXfs></styleSheet>' % NS)
        z.writestr("xl/workbook.xml", DECL + '<workbook %s><sheets><sheet name="Cases" sheetId="1" '
                   'r:id="rId1"/></sheets></workbook>' % NS)
        z.writestr("xl/_rels/workbook.xml.rels", DECL + '<Relationships xmlns="%s">'
                   '<Relationship Id="rId1" Type="%s/worksheet" Target="worksheets/sheet1.xml"/>'
                   '<Relationship Id="rId2" Type="%s/sharedStrings" Target="sharedStrings.xml"/>'
                   '<Relationship Id="rId3" Type="%s/styles" Target="styles.xml"/>'
                   '</Relationships>' % (PKG, REL, REL, REL))
        z.writestr("_rels/.rels", DECL + '<Relationships xmlns="%s"><Relationship Id="rId1" '
                   'Type="%s/officeDocument" Target="xl/workbook.xml"/></Relationships>' % (PKG, REL))
        z.writestr("[Content_Types].xml", DECL + CONTENT_TYPES)


if __name__ == "__main__":
    main()
