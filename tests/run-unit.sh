#!/bin/sh
# tests/run-unit.sh DIR — runs every cmocka test binary in DIR from the
# repository root, and fails if any fails.
set -u
dir=$1
failed=0
count=0
for t in "$dir"/test_*; do
	[ -x "$t" ] || continue
	count=$((count + 1))
	if ! out=$("$t" 2>&1); then
		echo "$out"
		echo "FAIL: $t" >&2
		failed=$((failed + 1))
	else
		printf '%s\n' "$out" | grep -E '^\[  PASSED  \]' | sed "s|^|$(basename "$t"): |"
	fi
done
echo "unit: $count test programs, $failed failed"
[ "$failed" = 0 ]
