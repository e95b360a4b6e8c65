#!/bin/sh
# scripts/demo.sh CASEPIPE — the main job on the bundled sample export.
set -eu
cp=${1:-./casepipe}
sample=fixtures/sample-cases.csv

echo "== casepipe parse $sample   (one NDJSON record per row)"
"$cp" parse "$sample"
echo
echo "== casepipe parse $sample then emit --format csv   (back to CSV, values unchanged)"
"$cp" parse "$sample" then emit --format csv
echo
echo "== casepipe parse $sample then normalise then validate then report --html sample-report.html"
echo "   (the audit as text, and as HTML in sample-report.html; --fail-on never: the demo shows, it does not judge)"
"$cp" parse "$sample" then normalise then validate then report --fail-on never --html sample-report.html
echo
echo "== casepipe parse $sample then normalise then validate then emit --profile case-import -o sample-import.csv --rejects sample-rejects.ndjson"
echo "   (the migration: clean rows in the import layout of schemas/profiles/case-import.json; the rest, with reasons, set aside)"
# Exit status 1 says records were rejected; the demo shows that, it does not fail on it.
"$cp" parse "$sample" then normalise then validate then \
	emit --profile case-import -o sample-import.csv --rejects sample-rejects.ndjson || [ $? -eq 1 ]
echo "-- sample-import.csv:"
cat sample-import.csv
echo "-- sample-rejects.ndjson (case and the reason emit added):"
"$cp" parse sample-rejects.ndjson then emit --fields case_id --meta -f tsv | cut -f1,4 | sed 1d |
	sed 's/\t.*"code":"\(emit\.[a-z_]*\)","severity":"error","message":"\([^"]*\)".*/\t\1: \2/'
