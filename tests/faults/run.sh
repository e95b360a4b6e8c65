#!/bin/bash
# tests/faults/run.sh CASEPIPE FAILSHIM.so — fault injection, SQLite-style.
#
# For each scenario below (a small chain from parse to report or emit -o),
# runs it once cleanly, then again with the Nth allocation failing, for
# N = 1, 2, ... until a run completes without reaching the Nth allocation;
# then the same with the Nth write() failing with ENOSPC.  Every run in
# which the fault fired must end cleanly:
#   - no signal (no crash, no abort);
#   - exit status 3 or 4 with a message on stderr, or the clean run's
#     status and output exactly (the failure was absorbed without loss);
#   - every -o file either holds its old content (when the run failed) or
#     the clean run's (when it succeeded), and no temporary file is left.
# A memory failure must end with status 4 (a system error), not 3.
# FAULTS_MAX=N caps N per scenario (default: no cap).
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shim=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
here=$(cd "$(dirname "$0")" && pwd)
max=${FAULTS_MAX:-100000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Inputs: a few records with identifier problems, in CSV, XML and JSON.
cat >"$work/in.csv" <<'CSV'
case_id,client_name,receipt_number,a_number,uscis_online_account_number,form
M-1,Maria Garcia,EAC2190012345,A# 12345678,123456789012,I-485
M-2,John Smith,eac-21-900-12346,A012345679,,I-130
M-3,"Lee, Ann",EAC21900I2347,A0123,1234,I-765
M-4,Maria Garcia,EAC2190012345,A012345678,123456789012,I-485
CSV
cat >"$work/in.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<cases>
  <case><case_id>M-1</case_id><receipt_number>EAC2190012345</receipt_number><a_number>A# 12345678</a_number></case>
  <case><case_id>M-2</case_id><receipt_number>LIN21900I2346</receipt_number><a_number>12345</a_number></case>
</cases>
XML
cat >"$work/in.json" <<'JSON'
{"cases": [
 {"case_id": "M-1", "receipt_number": "EAC2190012345", "a_number": "A012345678", "n": 1},
 {"case_id": "M-2", "receipt_number": "IOE0912345678", "uscis_online_account_number": "1234"}
]}
JSON

# The same kind of cases as a workbook (xlsx: libzip and libxml2's SAX parser).
cp "$here/../../fixtures/xlsx/cases.xlsx" "$work/in.xlsx"

# A baseline for report --baseline: last night's report, from the XML input.
"$bin" parse "$work/in.xml" then validate --today 2025-01-15 then report --quiet --json "$work/base.json" 2>/dev/null
[ -s "$work/base.json" ] || { echo "faults: cannot make the baseline report"; exit 1; }

# Each scenario: a name, the -o files it writes (in out/), and casepipe's
# arguments (split at spaces; no shell).
scenarios=(
	"csv-emit|out.csv|parse in.csv then validate --today 2025-01-15 then emit --format csv -o out/out.csv"
	"xml-report|r.json r.html r.csv|parse in.xml then normalise then validate --today 2025-01-15 then report --json out/r.json --html out/r.html --csv out/r.csv"
	"json-emit-xml|out.xml|parse in.json then normalise then validate --today 2025-01-15 then emit --format xml -o out/out.xml"
	"csv-stdout||parse in.csv then normalise then validate --today 2025-01-15"
	"xlsx-emit|out.csv|parse in.xlsx then normalise then validate --today 2025-01-15 then emit --format csv -o out/out.csv"
	"csv-report-baseline|r.txt|parse in.csv then validate --today 2025-01-15 then report --baseline base.json -o out/r.txt"
)

injected=0
clean=0
absorbed=0
status3=0
bad=0

# run KIND N CMD: one run in a fresh out/ holding the old files; sets rc.
run() {
	rm -rf "$work/out" "$work/fired"
	mkdir "$work/out"
	for f in $outs; do echo OLD >"$work/out/$f"; done
	# Only casepipe gets the shim (env sets it for the program it runs).
	# shellcheck disable=SC2086
	(cd "$work" && env SOURCE_DATE_EPOCH=1700000000 LD_BIND_NOW=1 FAILSHIM_LOG="$work/fired" "FAILSHIM_$1=$2" \
		LD_PRELOAD="$shim" "$bin" $3 >"$work/stdout" 2>"$work/stderr")
	rc=$?
}

for sc in "${scenarios[@]}"; do
	name=${sc%%|*}
	rest=${sc#*|}
	outs=${rest%%|*}
	cmd=${rest#*|}

	# The clean run: what every absorbed failure must reproduce.
	run MALLOC 0 "$cmd"
	want_rc=$rc
	cp "$work/stdout" "$work/want.stdout"
	rm -rf "$work/want"
	cp -r "$work/out" "$work/want"
	if [ "$want_rc" -gt 1 ]; then
		echo "faults: $name: the clean run fails (status $want_rc):"
		cat "$work/stderr"
		exit 1
	fi

	for kind in MALLOC WRITE; do
		n=0
		fired=0
		while [ "$n" -lt "$max" ]; do
			n=$((n + 1))
			run "$kind" "$n" "$cmd"
			[ -f "$work/fired" ] || break
			fired=$((fired + 1))
			problem=
			if [ "$rc" -ge 128 ]; then
				problem="killed by signal $((rc - 128))"
			elif [ "$rc" = 3 ] || [ "$rc" = 4 ]; then
				[ -s "$work/stderr" ] || problem="status $rc without a message"
			elif [ "$rc" = "$want_rc" ]; then
				cmp -s "$work/stdout" "$work/want.stdout" || problem="status $rc but different output"
			else
				problem="status $rc (clean run: $want_rc)"
			fi
			if grep -q 'Sanitizer\|runtime error' "$work/stderr"; then
				problem="$problem; sanitizer report"
			fi
			# The -o files: old content after a failure, new after success.
			for f in $outs; do
				if [ "$rc" = "$want_rc" ] && [ "$rc" -le 1 ]; then
					cmp -s "$work/out/$f" "$work/want/$f" || problem="$problem; $f differs from the clean run"
				elif [ -e "$work/out/$f" ] && [ "$(cat "$work/out/$f")" != OLD ] &&
					! cmp -s "$work/out/$f" "$work/want/$f"; then
					problem="$problem; $f half written (status $rc)"
				fi
			done
			left=$(cd "$work/out" && ls -A | grep -vxF -f <(printf '%s\n' $outs) | tr '\n' ' ')
			[ -z "$left" ] || problem="$problem; left behind: $left"
			if [ "$kind" = MALLOC ] && [ "$rc" = 3 ]; then
				problem="$problem; status 3 for an allocation failure (want 4)"
				status3=$((status3 + 1))
			fi
			problem=${problem#; }
			if [ -n "$problem" ]; then
				bad=$((bad + 1))
				echo "FAIL: faults: $name: $kind #$n: $problem"
				sed 's/^/    /' "$work/stderr" | head -5
			elif [ "$rc" = "$want_rc" ]; then
				absorbed=$((absorbed + 1))
			else
				clean=$((clean + 1))
			fi
		done
		injected=$((injected + fired))
		echo "faults: $name: $fired $(echo "$kind" | tr A-Z a-z) faults injected"
	done
done
echo "faults: $injected injected: $clean clean errors, $absorbed absorbed, $bad failed ($status3 of them status 3 for an allocation failure)"
[ "$bad" = 0 ]
