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
