#!/usr/bin/env python3
"""tests/xlsx/make_workbooks.py OUTDIR [NAME...] — writes the small test
workbooks of tests/cases/parse-xlsx/ into OUTDIR, from hand-written XML with
the standard library's zipfile (so CI needs nothing else): edge cases of the
cell value rules, and hostile archives.  With NAMEs, only those."""
import os
import random
import sys
import zipfile

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' \
     'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def workbook(sheets, date1904=False):
    pr = '<workbookPr date1904="1"/>' if date1904 else "<workbookPr/>"
    items = "".join('<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (n, i + 1, i + 1)
                    for i, n in enumerate(sheets))
    return DECL + "<workbook %s>%s<sheets>%s</sheets></workbook>" % (NS, pr, items)


def rels(targets, extra=""):
    items = "".join('<Relationship Id="rId%d" Type="%s/worksheet" Target="%s"/>' % (i + 1, REL_NS, t)
                    for i, t in enumerate(targets))
    items += '<Relationship Id="rS" Type="%s/sharedStrings" Target="sharedStrings.xml"/>' % REL_NS
    items += '<Relationship Id="rY" Type="%s/styles" Target="styles.xml"/>' % REL_NS
    return DECL + '<Relationships xmlns="%s">%s%s</Relationships>' % (PKG_NS, items, extra)


# Cell formats: 0 general, 1 built-in date (14), 2 custom date-time,
# 3 built-in time (20), 4 text (49), 5 custom number with a quoted "d".
STYLES = DECL + """<styleSheet %s>
<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm"/>
<numFmt numFmtId="165" formatCode="0.00&quot; days&quot;"/></numFmts>
<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
<cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="20"/>
<xf numFmtId="49"/><xf numFmtId="165"/></cellXfs></styleSheet>""" % NS

STRINGS = DECL + """<sst %s count="6" uniqueCount="6">
<si><t>case_id</t></si><si><t>client_name</t></si><si><t>a_number</t></si>
<si><r><t>Garc</t></r><r><rPr><b/></rPr><t>ía, María</t></r></si>
<si><t>山田</t><rPh sb="0" eb="2"><t>ヤマダ</t></rPh></si>
<si><t xml:space="preserve"> 012345678 </t></si>
<si><t>line one_x000D__x000A_line two</t></si>
<si><t>value</t></si><si><t>note</t></si>
</sst>""" % NS


def sheet(rows, dimension=None):
    dim = '<dimension ref="%s"/>' % dimension if dimension else ""
    return DECL + "<worksheet %s>%s<sheetData>%s</sheetData></worksheet>" % (NS, dim, rows)


# The value rules, one row each: the header is case_id, value, note.
VALUES = sheet("""
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>7</v></c><c r="C1" t="s"><v>8</v></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>12 digits</t></is></c><c r="B2"><v>123456789012</v></c></row>
<row r="3"><c r="A3" t="inlineStr"><is><t>exponent form</t></is></c><c r="B3"><v>1.23456789012E+11</v></c></row>
<row r="4"><c r="A4" t="inlineStr"><is><t>binary artefact</t></is></c><c r="B4"><v>0.30000000000000004</v></c></row>
<row r="5"><c r="A5" t="inlineStr"><is><t>trailing .0</t></is></c><c r="B5"><v>535.0</v></c></row>
<row r="6"><c r="A6" t="inlineStr"><is><t>small</t></is></c><c r="B6"><v>1.5E-7</v></c></row>
<row r="7"><c r="A7" t="inlineStr"><is><t>20 digits</t></is></c><c r="B7"><v>12345678901234567890</v></c></row>
<row r="8"><c r="A8" t="inlineStr"><is><t>negative</t></is></c><c r="B8"><v>-2.9999999999999996</v></c></row>
<row r="9"><c r="A9" t="inlineStr"><is><t>leading-zero text</t></is></c><c r="B9" t="s"><v>5</v></c></row>
<row r="10"><c r="A10" t="inlineStr"><is><t>rich text</t></is></c><c r="B10" t="s"><v>3</v></c></row>
<row r="11"><c r="A11" t="inlineStr"><is><t>phonetic</t></is></c><c r="B11" t="s"><v>4</v></c></row>
<row r="12"><c r="A12" t="inlineStr"><is><t>escapes</t></is></c><c r="B12" t="s"><v>6</v></c></row>
<row r="13"><c r="A13" t="inlineStr"><is><t>inline rich</t></is></c><c r="B13" t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r></is></c></row>
<row r="14"><c r="A14" t="inlineStr"><is><t>true</t></is></c><c r="B14" t="b"><v>1</v></c></row>
<row r="15"><c r="A15" t="inlineStr"><is><t>false</t></is></c><c r="B15" t="b"><v>0</v></c></row>
<row r="16"><c r="A16" t="inlineStr"><is><t>date</t></is></c><c r="B16" s="1"><v>45407</v></c></row>
<row r="17"><c r="A17" t="inlineStr"><is><t>date and time</t></is></c><c r="B17" s="2"><v>45407.4375</v></c></row>
<row r="18"><c r="A18" t="inlineStr"><is><t>time</t></is></c><c r="B18" s="3"><v>0.75</v></c></row>
<row r="19"><c r="A19" t="inlineStr"><is><t>1900-02-28</t></is></c><c r="B19" s="1"><v>59</v></c></row>
<row r="20"><c r="A20" t="inlineStr"><is><t>fictional 1900-02-29</t></is></c><c r="B20" s="1"><v>60</v></c></row>
<row r="21"><c r="A21" t="inlineStr"><is><t>1900-03-01</t></is></c><c r="B21" s="1"><v>61</v></c></row>
<row r="22"><c r="A22" t="inlineStr"><is><t>quoted d is no date</t></is></c><c r="B22" s="5"><v>3</v></c></row>
<row r="23"><c r="A23" t="inlineStr"><is><t>formula number</t></is></c><c r="B23"><f>B2*2</f><v>246913578024</v></c></row>
<row r="24"><c r="A24" t="inlineStr"><is><t>formula string</t></is></c><c r="B24" t="str"><f>A2&amp;"!"</f><v>12 digits!</v></c></row>
<row r="25"><c r="A25" t="inlineStr"><is><t>error N/A</t></is></c><c r="B25" t="e"><f>NA()</f><v>#N/A</v></c></row>
<row r="26"><c r="A26" t="inlineStr"><is><t>error REF</t></is></c><c r="B26" t="e"><v>#REF!</v></c></row>
<row r="27"><c r="C27" t="inlineStr"><is><t>only column C</t></is></c></row>
<row r="30"><c r="A30" t="inlineStr"><is><t>after two missing rows</t></is></c><c r="C30"><v>7</v></c></row>
<row r="31"><c r="A31" t="inlineStr"><is><t>formula, no cached value</t></is></c><c r="B31"><f>B2</f></c></row>
""", "A1:C31")

SECOND = sheet("""
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>M-9</t></is></c><c r="B2" t="s"><v>3</v></c><c r="C2" t="s"><v>5</v></c></row>
""")

# A sheet without <dimension>, and rows shorter and longer than the header.
WIDTHS = sheet("""
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>7</v></c></row>
<row r="2"><c r="A2"><v>1</v></c></row>
<row r="3"><c r="A3"><v>2</v></c><c r="B3"><v>3</v></c><c r="D3"><v>4</v></c></row>
""")

DATE1904 = sheet("""
<row r="1"><c r="A1" t="s"><v>7</v></c></row>
<row r="2"><c r="A2" s="1"><v>0</v></c></row>
<row r="3"><c r="A3" s="1"><v>43945</v></c></row>
<row r="4"><c r="A4" s="2"><v>43945.5</v></c></row>
""")

LAUGHS = DECL + """<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
"""

XXE = DECL + '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'


def parts(sheets=None, sheet_xml=None, strings=STRINGS, date1904=False):
    sheets = sheets or ["Cases"]
    sheet_xml = sheet_xml or [VALUES]
    files = [("[Content_Types].xml", DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
             ("_rels/.rels", DECL + '<Relationships xmlns="%s"><Relationship Id="rId1" Type="%s/officeDocument" '
              'Target="xl/workbook.xml"/></Relationships>' % (PKG_NS, REL_NS)),
             ("xl/workbook.xml", workbook(sheets, date1904)),
             ("xl/_rels/workbook.xml.rels", rels(["worksheets/sheet%d.xml" % (i + 1) for i in range(len(sheets))])),
             ("xl/styles.xml", STYLES),
             ("xl/sharedStrings.xml", strings)]
    files += [("xl/worksheets/sheet%d.xml" % (i + 1), x) for i, x in enumerate(sheet_xml)]
    return files


def write(path, files):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files:
            info = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def replace(files, name, data):
    return [(n, data if n == name else d) for n, d in files]


def moderately_compressible(size):
    """SIZE bytes of XML comment text that deflates about 100:1."""
    rng = random.Random(8)
    block = bytearray(b"x" * 4096)
    out = bytearray()
    while len(out) < size:
        block[rng.randrange(4096)] = rng.choice(b"abcdefghij")
        block[rng.randrange(4096)] = rng.choice(b"abcdefghij")
        out += block
    return bytes(out[:size])


def make(out, name):
    p = os.path.join(out, name)
    if name == "values.xlsx":
        write(p, parts(["Cases", "Second", "No dimension"], [VALUES, SECOND, WIDTHS]))
    elif name == "date1904.xlsx":
        write(p, parts(["Dates"], [DATE1904], date1904=True))
    elif name == "bomb-ratio.xlsx":
        body = "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>" + "<x/>" * (10 << 20)
        write(p, replace(parts(), "xl/worksheets/sheet1.xml", sheet(body)))
    elif name == "bomb-cap.xlsx":
        text = moderately_compressible((64 << 20) + 4096).decode()
        pieces = "".join("<x>%s</x>" % text[i:i + 4096] for i in range(0, len(text), 4096))
        big = workbook(["Cases"]).replace("<sheets>", pieces + "<sheets>")
        write(p, replace(parts(), "xl/workbook.xml", big))
    elif name == "dotdot.xlsx":
        write(p, parts() + [("xl/../../evil.xml", "<x/>")])
    elif name == "rels-escape.xlsx":
        files = parts()
        write(p, replace(files, "xl/_rels/workbook.xml.rels",
                         rels(["../../../etc/passwd"])))
    elif name == "encrypted.xlsx":
        # zipfile cannot encrypt: set the "encrypted" flag of one entry in
        # its local header and its central directory record.
        write(p, parts())
        data = bytearray(open(p, "rb").read())
        name_b = b"xl/worksheets/sheet1.xml"
        for sig, flag_at, name_at in ((b"PK\3\4", 6, 30), (b"PK\1\2", 8, 46)):
            i = data.find(sig)
            while i >= 0:
                if data[i + name_at:i + name_at + len(name_b)] == name_b:
                    data[i + flag_at] |= 1
                i = data.find(sig, i + 4)
        open(p, "wb").write(bytes(data))
    elif name == "cfb.xlsx":
        with open(p, "wb") as f:
            f.write(bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + b"\0" * 504)
    elif name == "truncated.xlsx":
        write(p, parts())
        with open(p, "rb") as f:
            data = f.read()
        with open(p, "wb") as f:
            f.write(data[: len(data) // 2])
    elif name == "corrupt.xlsx":
        write(p, replace(parts(), "xl/worksheets/sheet1.xml", VALUES * 3))
        with zipfile.ZipFile(p) as z:
            info = z.getinfo("xl/worksheets/sheet1.xml")
        data = bytearray(open(p, "rb").read())
        start = info.header_offset + 30 + len(info.filename)
        for i in range(start + 40, start + 60):
            data[i] ^= 0x5A
        open(p, "wb").write(bytes(data))
    elif name == "laughs-sheet.xlsx":
        write(p, replace(parts(), "xl/worksheets/sheet1.xml", LAUGHS + sheet("<row><c t=\"inlineStr\"><is><t>&lol9;</t></is></c></row>")[len(DECL):]))
    elif name == "laughs-strings.xlsx":
        write(p, parts(strings=LAUGHS + STRINGS[len(DECL):].replace("<t>case_id</t>", "<t>&lol9;</t>")))
    elif name == "xxe-sheet.xlsx":
        write(p, replace(parts(), "xl/worksheets/sheet1.xml", XXE + sheet("<row><c t=\"inlineStr\"><is><t>&xxe;</t></is></c></row>")[len(DECL):]))
    elif name == "not-a-workbook.zip":
        write(p, [("readme.txt", "hello")])
    elif name == "bad-shared-string.xlsx":
        write(p, replace(parts(), "xl/worksheets/sheet1.xml", sheet('<row r="1"><c r="A1" t="s"><v>99</v></c></row>')))
    elif name == "laughs-utf16.xlsx":
        # The prolog check reads ASCII only: in UTF-16 the declaration
        # reaches libxml2, and the SAX handler refuses it.
        xml = (LAUGHS + sheet("<row><c t=\"inlineStr\"><is><t>&lol9;</t></is></c></row>")[len(DECL):])
        xml = xml.replace('encoding="UTF-8"', 'encoding="UTF-16"')
        write(p, replace(parts(), "xl/worksheets/sheet1.xml", b"\xff\xfe" + xml.encode("utf-16-le")))
    elif name == "empty-namespace.xlsx":
        # A namespace prefix bound to "": libxml2's error, status 3 (the same
        # message as when its copy of a namespace fails, which is status 4).
        write(p, replace(parts(), "xl/worksheets/sheet1.xml",
                         VALUES.replace("<worksheet ", '<worksheet xmlns:x14="" ', 1)))
    elif name == "long-cell.xlsx":
        big = '<row r="1"><c r="A1" t="inlineStr"><is><t>' + "x" * (2 << 20) + "</t></is></c></row>"
        write(p, replace(parts(), "xl/worksheets/sheet1.xml", sheet(big)))
    elif name == "long-string.xlsx":
        write(p, parts(strings=STRINGS.replace("<t>note</t>", "<t>" + "y" * (2 << 20) + "</t>")))
    else:
        sys.exit("make_workbooks.py: unknown workbook " + name)


NAMES = ["values.xlsx", "date1904.xlsx", "bomb-ratio.xlsx", "bomb-cap.xlsx", "dotdot.xlsx",
         "rels-escape.xlsx", "encrypted.xlsx", "cfb.xlsx", "truncated.xlsx", "corrupt.xlsx",
         "laughs-sheet.xlsx", "laughs-strings.xlsx", "xxe-sheet.xlsx", "not-a-workbook.zip",
         "bad-shared-string.xlsx", "long-cell.xlsx", "long-string.xlsx",
         "laughs-utf16.xlsx", "empty-namespace.xlsx"]

if __name__ == "__main__":
    for n in sys.argv[2:] or NAMES:
        make(sys.argv[1], n)
