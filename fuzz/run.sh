#!/bin/sh
# fuzz/run.sh SECONDS TARGET... — runs each built fuzz target
# (build-fuzz/fuzz_TARGET) for SECONDS, one after another, after first
# replaying its regression inputs (fuzz/regressions/TARGET/).  Seeds come
# from fuzz/corpus/TARGET/ and, at run time, from fixtures/ and
# ../shared/suites/ where present; what the fuzzer learns goes to
# build-fuzz/corpus/TARGET/ (not committed).  A crash is kept in
# build-fuzz/crashes/TARGET/ and the target is restarted for the time
# left, so one finding does not end the run.  Logs: build-fuzz/logs/.
# Prints one summary line per target; exits 1 when anything was found.
set -u
secs=$1
shift
cd "$(dirname "$0")/.."
suites=../shared/suites
found=0
mkdir -p build-fuzz/logs

# Seeds for the gzip target: each text seed as it is (mode 0: compressed by
# the target) and gzip-compressed (mode 8: passed as it is).
gzip_seeds() {
	d=build-fuzz/seeds/gzip
	rm -rf "$d"
	mkdir -p "$d"
	i=0
	for pair in 0:csv 1:tsv 2:ndjson 3:xml 4:json; do
		fmt=${pair#*:}
		mode=${pair%%:*}
		for f in fuzz/corpus/"$fmt"/*; do
			[ -f "$f" ] || continue
			i=$((i + 1))
			{ printf "\\00$mode"; cat "$f"; } >"$d/text-$i"
			{ printf "\\01$mode"; gzip -c -n "$f"; } >"$d/gz-$i"
			# Truncated in the middle of the stream and before the trailer.
			{ printf "\\01$mode"; gzip -c -n "$f" | head -c 20; } >"$d/gz-short-$i"
		done
	done
	echo "$d"
}

for t in "$@"; do
	bin=${FUZZ_BIN_DIR:-build-fuzz}/fuzz_$t
	extra=
	case $t in
	csv) extra="fixtures/sample-cases.csv $suites/csv-spectrum $suites/csv-test-data" ;;
	ndjson) extra="fixtures/json" ;;
	json) extra="fixtures/json $suites/JSONTestSuite" ;;
	xml) extra="fixtures/xml $suites/libxml2-recurse" ;;
	gzip) extra=$(gzip_seeds) ;;
	esac
	dirs=
	for d in $extra; do [ -d "$d" ] && dirs="$dirs $d"; done
	[ -d fuzz/corpus/"$t" ] && dirs="fuzz/corpus/$t $dirs"
	mkdir -p build-fuzz/corpus/"$t" build-fuzz/crashes/"$t"
	log=build-fuzz/logs/$t.log
	: >"$log"

	# Every input that once crashed must now run clean.
	if [ -d fuzz/regressions/"$t" ] && ls fuzz/regressions/"$t"/* >/dev/null 2>&1; then
		if ! "$bin" -runs=1 fuzz/regressions/"$t"/* >>"$log" 2>&1; then
			echo "fuzz $t: a regression input fails again (see $log)"
			found=1
			continue
		fi
	fi

	start=$(date +%s)
	execs=0
	crashes=0
	left=$secs
	while [ "$left" -gt 0 ]; do
		# -close_fd_mask=3: the readers' messages would only slow it down;
		# libFuzzer keeps its own and the sanitizers' reports.
		"$bin" -max_total_time="$left" -timeout=25 -rss_limit_mb=2560 -max_len=16384 \
			-close_fd_mask=3 -print_final_stats=1 \
			-artifact_prefix=build-fuzz/crashes/"$t"/ \
			build-fuzz/corpus/"$t" $dirs >>"$log" 2>&1
		rc=$?
		n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
		execs=$((execs + ${n:-0}))
		# The stats line is only printed on a clean end; count it once.
		sed -i 's/^stat::number_of_executed_units:/stat::counted_executed_units:/' "$log"
		[ "$rc" = 0 ] && break
		crashes=$((crashes + 1))
		[ "$crashes" -ge 50 ] && break
		left=$((secs - ($(date +%s) - start)))
	done
	took=$(($(date +%s) - start))
	[ "$took" -gt 0 ] || took=1
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
	corpus=$(ls build-fuzz/corpus/"$t" | wc -l)
	echo "fuzz $t: ${took}s, $execs execs ($((execs / took))/s), $cov, corpus $corpus, crashes $crashes"
	[ "$crashes" = 0 ] || found=1
done
exit $found
