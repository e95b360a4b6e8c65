#!/bin/sh
# tests/report/run.sh CASEPIPE — checks of the report stage that need more
# than a golden file: the JSON against its schema, the HTML rendered in a
# headless browser, and shards audited with GNU parallel then merged.
# A check whose optional tool is missing says SKIP (and why) and passes;
# .ci/run installs the tools, so CI runs every check.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
pass=0 fail=0 skip=0
for t in "$here"/check-*.sh; do
	name=$(basename "$t" .sh)
	out=$(sh "$t" "$bin" 2>&1)
	case $? in
	0) pass=$((pass + 1)) ;;
	77) skip=$((skip + 1)); echo "SKIP: report/$name: $(printf '%s\n' "$out" | tail -n 1)" ;;
	*) fail=$((fail + 1)); printf '%s\n' "$out"; echo "FAIL: report/$name" ;;
	esac
done
echo "report checks: $pass passed, $skip skipped, $fail failed"
[ "$fail" = 0 ]
