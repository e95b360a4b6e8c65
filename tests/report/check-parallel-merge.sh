#!/bin/sh
# Scale-out: an export split into shards, each audited by its own casepipe
# run under GNU parallel, the JSON reports merged with report --merge, must
# give the report of one run over the whole export (all but "run").
# The shards are cut by records after parse, so every record keeps its
# _source (file and line in the original export).  Exit 77 (skipped) when
# GNU parallel is not installed.
set -eu
cp=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

# An export of 2,000 records: many issue kinds, no duplicates across shards
# that the cross-record checks would see differently.
awk 'BEGIN {
	print "case_id,client_name,receipt_number,a_number,uscis_online_account_number,filing_method"
	for (i = 1; i <= 2000; i++) {
		r = "EAC21" sprintf("%08d", 90000000 + i)
		a = sprintf("A%09d", 100000000 + i)
		o = "5" sprintf("%011d", i)
		if (i % 7 == 0) r = "XYZ" substr(r, 4)
		if (i % 11 == 0) a = substr(a, 2, 8)
		if (i % 13 == 0) o = o ".0"
		if (i % 17 == 0) r = "EAC21900O" substr(r, 10)
		if (i % 19 == 0) o = ""
		printf "C-%d,Client %d,%s,%s,%s,online\n", i, i, r, a, o
	}
}' >export.csv

"$cp" parse export.csv then normalise then validate --today 2024-06-01 then report \
	--format json --fail-on never -n 300 >single.json

if ! command -v parallel >/dev/null 2>&1; then
	echo "GNU parallel not installed (apt-get install parallel): parallel merge check skipped"
	exit 77
fi
# Validate per shard, after parse: the records keep their _source.
"$cp" parse export.csv >all.ndjson
split -l 300 -d --additional-suffix=.ndjson all.ndjson part-
parallel --will-cite -j 4 "'$cp' parse {} then normalise then validate --today 2024-06-01 then report --format json --fail-on never -n 300 -o {}.json" ::: part-*.ndjson
"$cp" report --merge --format json --fail-on never -n 300 part-*.ndjson.json >merged.json
grep -v '"run"' single.json >a
grep -v '"run"' merged.json >b
if ! cmp -s a b; then
	diff a b | head -20 >&2
	echo "merged report differs from the single run" >&2
	exit 1
fi
echo "$(ls part-*.ndjson | wc -l) shards merged: same report as one run ($(grep -o '"issues":[0-9]*' a | head -n 1))"
