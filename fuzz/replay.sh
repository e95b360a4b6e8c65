#!/bin/sh
# fuzz/replay.sh CASEPIPE — runs casepipe over every input the fuzzers once
# failed on (fuzz/regressions/TARGET/*, and fuzz/known/TARGET/* for bugs not
# fixed yet, which the fuzz targets still flag), the way a user would meet it: each
# must end with status 0, 1 or 3 and no signal or sanitizer report, and
# the records a reader wrote must be read by the next stage without a
# rejection (a pipe must keep what `then` keeps).  (make
# fuzz also replays them through the fuzz targets themselves, with their
# stricter checks.)
set -u
bin=$1
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
count=0
failed=0
for f in "$root"/fuzz/regressions/*/* "$root"/fuzz/known/*/*; do
	[ -f "$f" ] || continue
	target=$(basename "$(dirname "$f")")
	count=$((count + 1))
	case $target in
	csv | tsv | ndjson | xml | json)
		"$bin" parse -f "$target" "$f" >"$tmp/out" 2>"$tmp/err" ;;
	gzip)
		# The first byte chose the format (low 3 bits) and whether the
		# rest is gzip already (bit 3) or was compressed by the target.
		mode=$(od -An -tu1 -N1 "$f" | tr -d ' ')
		fmt=$(echo csv tsv ndjson xml json | cut -d' ' -f$(((mode & 7) % 5 + 1)))
		if [ $((mode & 8)) -ne 0 ]; then
			tail -c +2 "$f" >"$tmp/in"
		else
			tail -c +2 "$f" | gzip -n >"$tmp/in"
		fi
		"$bin" parse -f "$fmt" "$tmp/in" >"$tmp/out" 2>"$tmp/err" ;;
	wire)
		"$bin" normalise <"$f" >"$tmp/out" 2>"$tmp/err" ;;
	xlsx)
		# A whole workbook (the target's "PK" inputs; other inputs are
		# zipped by the target itself and are kept as workbooks here).
		"$bin" parse -f xlsx "$f" >"$tmp/out" 2>"$tmp/err" ;;
	*)
		continue ;;
	esac
	st=$?
	if [ "$st" -gt 3 ] || [ "$st" = 2 ] || grep -q 'Sanitizer\|runtime error' "$tmp/err"; then
		echo "FAIL: fuzz regression $target/$(basename "$f"): status $st"
		head -5 "$tmp/err"
		failed=$((failed + 1))
	elif [ "$target" != wire ] && ! "$bin" normalise <"$tmp/out" >/dev/null 2>"$tmp/err"; then
		echo "FAIL: fuzz regression $target/$(basename "$f"): the next stage rejects parse's output"
		head -5 "$tmp/err"
		failed=$((failed + 1))
	fi
done
echo "fuzz regressions: $count replayed, $failed failed"
[ "$failed" = 0 ]
