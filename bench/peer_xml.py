#!/usr/bin/env python3
"""The python3 peer for XML: each child of the root to one NDJSON object.

    python3 bench/peer_xml.py FILE.xml > out.ndjson

xml.etree.ElementTree.iterparse, clearing each record once it is written
so that memory stays flat: the script a user would write instead of
casepipe parse.  Child elements' text become string values (None as "");
no _source, no nesting, so it does a little less work than casepipe.
"""

import json
import sys
import xml.etree.ElementTree as ET


def main():
    if len(sys.argv) != 2:
        print("usage: peer_xml.py FILE.xml", file=sys.stderr)
        return 2
    out = sys.stdout
    dumps = json.dumps
    depth = 0
    root = None
    for event, elem in ET.iterparse(sys.argv[1], events=("start", "end")):
        if event == "start":
            if root is None:
                root = elem
            depth += 1
            continue
        depth -= 1
        if depth == 1:
            rec = {child.tag: child.text or "" for child in elem}
            out.write(dumps(rec, ensure_ascii=False))
            out.write("\n")
            elem.clear()
            root.clear()
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
