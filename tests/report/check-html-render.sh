#!/bin/sh
# The HTML report rendered by a real browser (Debian's chromium, headless)
# at a phone's width: the screenshot must exist, be a PNG of some size, and
# not be blank (more than a few colours, and the report's red/orange/blue
# bars present).  Also: no external assets and no script in the file.
# Exit 77 (skipped) when chromium is not installed.
set -eu
cp=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
data=$root/tests/cases/report/_data
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat "$data/records.ndjson" "$data/other.ndjson" | "$cp" report --fail-on never -q --html "$tmp/report.html"

if grep -Eiq '<script|<link|src=|url\(|@import|https?://[^"]*\.(css|js|png|svg|woff)' "$tmp/report.html"; then
	echo "report.html refers to an external asset or has a script" >&2
	exit 1
fi
grep -q '<meta name="viewport"' "$tmp/report.html"
grep -q '<svg ' "$tmp/report.html"

browser=
for b in chromium chromium-browser; do
	command -v "$b" >/dev/null 2>&1 && { browser=$b; break; }
done
if [ -z "$browser" ]; then
	echo "chromium not installed (apt-get install chromium): HTML render check skipped"
	exit 77
fi
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
	--disable-component-update --disable-sync --no-first-run --user-data-dir="$tmp/profile" \
	--screenshot="$tmp/out.png" --window-size=412,900 "file://$tmp/report.html" >"$tmp/log" 2>&1 || {
	cat "$tmp/log" >&2
	exit 1
}
[ -s "$tmp/out.png" ] || { echo "no screenshot" >&2; exit 1; }
size=$(wc -c <"$tmp/out.png")
[ "$size" -gt 10000 ] || { echo "screenshot is only $size bytes" >&2; exit 1; }
command -v python3 >/dev/null 2>&1 || { echo "rendered ($size bytes; python3 absent, pixels not checked)"; exit 0; }
python3 - "$tmp/out.png" <<'PY'
import struct, sys, zlib
# A small PNG reader (8-bit RGB/RGBA, non-interlaced: what chromium writes).
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, w = 8, b"", 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
        assert depth == 8 and ctype in (2, 6) and interlace == 0, "unexpected PNG form"
        bpp = 3 if ctype == 2 else 4
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
colours = set()
off = 0
def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)
for y in range(h):
    f = raw[off]; line = bytearray(raw[off + 1:off + 1 + stride]); off += 1 + stride
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]; c = prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4: line[i] = (line[i] + paeth(a, b, c)) & 255
    for x in range(0, stride, bpp * 2):
        colours.add(tuple(line[x:x + 3]))
    prev = line
def near(c, t):
    return all(abs(c[i] - t[i]) < 24 for i in range(3))
found = {name: any(near(c, t) for c in colours)
         for name, t in (("error red", (0xc6, 0x28, 0x28)), ("warning orange", (0xe6, 0x51, 0x00)),
                         ("info blue", (0x15, 0x65, 0xc0)))}
assert len(colours) > 20, "the screenshot is nearly blank (%d colours)" % len(colours)
missing = [k for k, v in found.items() if not v]
assert not missing, "bars not drawn: " + ", ".join(missing)
print("rendered %dx%d, %d colours, bars of every severity" % (w, h, len(colours)))
PY
