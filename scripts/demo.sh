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
