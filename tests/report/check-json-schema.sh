#!/bin/sh
# The JSON report, in every shape the tests make (plain, several files,
# baseline, merged, empty), against schemas/report.schema.json: always a
# structural check (python3's json module, else jq), and a full JSON Schema
# validation when python3-jsonschema is installed (exit 77: skipped).
set -eu
cp=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
data=$root/tests/cases/report/_data
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
"$cp" report --format json --fail-on never <"$data/records.ndjson" >plain.json
cat "$data/records.ndjson" "$data/other.ndjson" | "$cp" report --format json --fail-on never --show-values >files.json
"$cp" report --format json --fail-on never --baseline plain.json -n 2 --max-keys 5 <"$data/part1.ndjson" >baseline.json
"$cp" report --format json --fail-on warning --max-error-rate 100% <"$data/part2.ndjson" >part2.json
"$cp" report --merge --format json --fail-on never plain.json part2.json >merged.json
"$cp" report --format json --fail-on never </dev/null >empty.json
set -- plain.json files.json baseline.json part2.json merged.json empty.json

if command -v python3 >/dev/null 2>&1; then
	python3 - "$@" <<'PY'
import json, sys
for f in sys.argv[1:]:
    d = json.load(open(f))
    for k in ("casepipe_report", "run", "options", "totals", "by_code", "files", "worklist", "keys", "verdict"):
        assert k in d, (f, k)
    t = d["totals"]
    assert t["records_in"] == t["records"] + t["rejected"], f
    assert t["issues"] == t["errors"] + t["warnings"] + t["infos"], f
    assert sum(g["count"] for g in d["by_code"]) == t["issues"], f
    assert sum(x["records"] for x in d["files"]) == t["records"], f
    w = d["worklist"]
    assert w["shown"] == len(w["rows"]) and w["total"] == w["shown"] + w["omitted"] == t["issues"], f
    assert len(w["rows"]) <= d["options"]["worklist_limit"], f
    order = {"error": 0, "warning": 1, "info": 2}
    sev = [order[r["severity"]] for r in w["rows"]]
    assert sev == sorted(sev), f
    k = d["keys"]
    assert k["kept"] == len(k["items"]) <= d["options"]["key_limit"], f
    assert k["complete"] == (k["kept"] == k["total"]), f
print("structure: %d reports ok" % (len(sys.argv) - 1))
PY
elif command -v jq >/dev/null 2>&1; then
	for f in "$@"; do
		jq -e '(.totals.records_in == .totals.records + .totals.rejected)
			and (.totals.issues == .totals.errors + .totals.warnings + .totals.infos)
			and ([.by_code[].count] | add // 0) == .totals.issues
			and (.worklist.shown == (.worklist.rows | length))
			and (.keys.kept == (.keys.items | length))' "$f" >/dev/null
	done
	echo "structure (jq): $# reports ok"
else
	echo "neither python3 nor jq: cannot check the JSON structure" >&2
	exit 1
fi

if ! python3 -c 'import jsonschema' 2>/dev/null; then
	echo "python3-jsonschema not installed (apt-get install python3-jsonschema): schema validation skipped"
	exit 77
fi
python3 - "$root/schemas/report.schema.json" "$@" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft7Validator.check_schema(schema)
v = jsonschema.Draft7Validator(schema)
bad = 0
for f in sys.argv[2:]:
    for e in v.iter_errors(json.load(open(f))):
        print("%s: %s: %s" % (f, "/".join(map(str, e.absolute_path)), e.message))
        bad += 1
sys.exit(1 if bad else 0)
PY
echo "schema: $# reports valid"
