#!/bin/sh
# bench/run.sh CASEPIPE_BINARY — casepipe's benchmark (see bench/README.md).
#
# Generates bench/data/big.csv (1,000,000 rows, cached) and runs casepipe
# and its peers on that same file, in this run, stdout to /dev/null,
# printing wall seconds (best of BENCH_RUNS), MB/s (input bytes / 10^6 /
# wall) and peak RSS MiB (largest of the runs) for each.
#
# Environment: BENCH_ROWS=N (default 1000000), BENCH_RUNS=K (default 3),
# PYTHON (default python3).
#
# To add a command, add one line at the end, in the "commands" section:
#     bench "NAME" INPUT -- CMD [ARG...]
# NAME is the table label, INPUT the file whose size gives MB/s, CMD runs
# in bench/data/ with stdout to /dev/null.  A pipeline needs sh -c '...'
# (its peak RSS is then that of its largest process).  Other inputs: add
# `prepare tsv` or `prepare ndjson` next to `prepare csv` (before the table
# starts); the files are then $(big tsv) / $(big ndjson) in bench/data/.

set -eu

prog=bench/run.sh
die() { echo "$prog: $*" >&2; exit 2; }

[ $# -eq 1 ] || die "usage: sh bench/run.sh CASEPIPE_BINARY"

here=$(cd "$(dirname "$0")" && pwd)
DATA=$here/data
ROWS=${BENCH_ROWS:-1000000}
RUNS=${BENCH_RUNS:-3}
PY=${PYTHON:-python3}

case $ROWS in ''|*[!0-9]*) die "BENCH_ROWS must be a number, not '$ROWS'" ;; esac
case $RUNS in ''|*[!0-9]*|0) die "BENCH_RUNS must be a number >= 1, not '$RUNS'" ;; esac
command -v "$PY" >/dev/null 2>&1 || die "$PY not found (the generator and timer need python3)"

# The casepipe binary: a path, or a name on PATH; made absolute because the
# commands run in bench/data/.
CASEPIPE=$1
case $CASEPIPE in
*/*) ;;
*) CASEPIPE=$(command -v "$CASEPIPE" 2>/dev/null) || CASEPIPE=$1 ;;
esac
if [ ! -f "$CASEPIPE" ] || [ ! -x "$CASEPIPE" ]; then
	die "casepipe binary '$1' not found or not executable (build it first: make)"
fi
CASEPIPE=$(cd "$(dirname "$CASEPIPE")" && pwd)/$(basename "$CASEPIPE")

# big FORMAT: the input file's name for this row count.
big() {
	if [ "$ROWS" = 1000000 ]; then echo "big.$1"; else echo "big-$ROWS.$1"; fi
}

# prepare FORMAT: generate bench/data/$(big FORMAT) unless a copy made by
# this very generator with the same options is already there.
prepare() {
	f=$DATA/$(big "$1")
	stamp="$(cksum <"$here/gen.py") rows=$ROWS format=$1"
	if [ -f "$f" ] && [ -f "$f.stamp" ] && [ "$(cat "$f.stamp")" = "$stamp" ]; then
		return 0
	fi
	mkdir -p "$DATA"
	rm -f "$f" "$f.stamp"
	echo "generating $(big "$1") ($ROWS rows)..."
	# shellcheck disable=SC2046 # split "WALL RSS STATUS" into $1 $2 $3
	set -- $("$PY" "$here/measure.py" --runs 1 -- \
		"$PY" "$here/gen.py" --rows "$ROWS" --format "$1" -o "$f")
	if [ "${3:-1}" != 0 ] || [ ! -f "$f" ]; then die "generator failed"; fi
	echo "$stamp" >"$f.stamp"
	echo "generated $(basename "$f"): $(wc -c <"$f" | tr -d ' ') bytes in $1 s"
}

# The machine and the tools.
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
[ -n "$cpu" ] || cpu=$(uname -m)
mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || true)
echo "casepipe benchmark, $(date '+%Y-%m-%d %H:%M:%S %Z')"
echo "machine: $(nproc 2>/dev/null || echo '?') cpus, $cpu, ${mem:-? GiB} RAM, $(uname -sr)"
ver=$("$CASEPIPE" --version 2>/dev/null | head -n 1 || true)
echo "casepipe: $CASEPIPE (${ver:-version unknown})"
if command -v mlr >/dev/null 2>&1; then
	echo "mlr: $(mlr --version 2>/dev/null | head -n 1)"
else
	echo "mlr: not installed (its row is skipped)"
fi
echo "python: $("$PY" --version 2>&1)"

prepare csv
CSV=$(big csv)
prepare json
JSON=$(big json)
prepare xml
XML=$(big xml)
prepare ndjson
NDJSON=$(big ndjson)
# big.xlsx: the rows of big.csv as a workbook (bench/gen_xlsx.py; slow in
# python, so cached like the others, keyed on the generator and big.csv).
XLSX=$(big xlsx)
xstamp="$(cksum <"$here/gen_xlsx.py") $(cat "$DATA/$CSV.stamp")"
if [ ! -f "$DATA/$XLSX" ] || [ ! -f "$DATA/$XLSX.stamp" ] || [ "$(cat "$DATA/$XLSX.stamp")" != "$xstamp" ]; then
	rm -f "$DATA/$XLSX" "$DATA/$XLSX.stamp"
	echo "generating $XLSX from $CSV..."
	"$PY" "$here/gen_xlsx.py" "$DATA/$CSV" "$DATA/$XLSX" || die "xlsx generator failed"
	echo "$xstamp" >"$DATA/$XLSX.stamp"
fi
# MB/s of a workbook counts its uncompressed sheet XML, not the zip.
XLSX_SHEET=$("$PY" -c 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).getinfo("xl/worksheets/sheet1.xml").file_size)' "$DATA/$XLSX")
# openpyxl: from PYTHON, else Debian's own python3 (python3-openpyxl).
XPY=
for p in "$PY" /usr/bin/python3; do
	if "$p" -c 'import openpyxl' 2>/dev/null; then XPY=$p; break; fi
done
echo "input: bench/data/$CSV, $ROWS rows, $(wc -c <"$DATA/$CSV" | tr -d ' ') bytes"
echo "each command: $RUNS run(s), best wall time, largest peak RSS; stdout to /dev/null, stderr to bench/data/last.stderr"
echo

failed=0
row() { printf '%-44s %8s %9s %9s  %s\n' "$@"; }
row command wall_s MB/s rss_MiB note
row -------------------------------------------- -------- --------- --------- ----

# bench NAME INPUT -- CMD [ARG...]: measure CMD (run in bench/data/) and
# print its table row, MB/s counted on INPUT's size.  Its stderr goes to a
# file, not the terminal, so that casepipe shows no progress meter; on
# failure the file's end is shown.
bench() {
	name=$1 input=$2
	shift 2
	[ "${1:-}" = -- ] && shift
	measure "$name" "$(wc -c <"$DATA/$input")" "" "" "$@"
}

# bench_out NAME -- CMD [ARG...]: the same, MB/s counted on the OUTPUT's
# size (stdout is kept in bench/data/emit.out until it is counted).
bench_out() {
	name=$1
	shift
	[ "${1:-}" = -- ] && shift
	measure "$name" "" "$DATA/emit.out" "" "$@"
}

# bench_out_stdin NAME INPUT -- CMD [ARG...]: bench_out with INPUT (in
# bench/data/) on the command's standard input.
bench_out_stdin() {
	name=$1 input=$2
	shift 2
	[ "${1:-}" = -- ] && shift
	measure "$name" "" "$DATA/emit.out" "$DATA/$input" "$@"
}

# measure NAME SIZE OUTFILE STDIN CMD...: SIZE bytes give MB/s, or, when
# SIZE is empty, the size of OUTFILE, where stdout then goes; STDIN, when
# not empty, is the command's standard input.
measure() {
	name=$1 size=$2 outfile=$3 stdin=$4 last_wall=
	shift 4
	set -- ${outfile:+--stdout "$outfile"} ${stdin:+--stdin "$stdin"} -- "$@"
	if ! res=$(cd "$DATA" && "$PY" "$here/measure.py" --runs "$RUNS" \
		--stderr "$DATA/last.stderr" "$@"); then
		row "$name" - - - "could not start"
		failed=1
		return 0
	fi
	# shellcheck disable=SC2086 # split "WALL RSS STATUS" into $1 $2 $3
	set -- $res
	note=
	if [ -n "$outfile" ]; then
		size=$(wc -c <"$outfile")
		note="out $(awk -v s="$size" 'BEGIN { printf "%.0f MB", s / 1e6 }')"
		rm -f "$outfile"
	fi
	if [ "$3" != 0 ]; then
		note="FAILED: exit $3"
		failed=1
		tail -n 5 "$DATA/last.stderr" | sed "s|^|$name: |" >&2
	fi
	last_wall=$1
	row "$name" "$1" \
		"$(awk -v s="$size" -v t="$1" 'BEGIN { if (t > 0) printf "%.1f", s / 1e6 / t; else print "-" }')" \
		"$(awk -v k="$2" 'BEGIN { printf "%.1f", k / 1024 }')" \
		"$note"
}

# skip NAME WHY: a row for a command that cannot run here.
skip() { row "$1" - - - "skipped: $2"; }

# ---- commands ---------------------------------------------------------
# cat is not a peer: it is the floor, reading the (cached) file and nothing else.
bench "cat $CSV (read floor)" "$CSV" -- cat "$CSV"
bench "casepipe parse $CSV" "$CSV" -- "$CASEPIPE" parse "$CSV"
# issue 3: gzip input beside gzip's own inflate of the same file (MB/s of
# the compressed file; compare the wall times).
if [ ! -f "$DATA/$CSV.gz" ] || [ "$DATA/$CSV" -nt "$DATA/$CSV.gz" ]; then
	gzip -c "$DATA/$CSV" >"$DATA/$CSV.gz"
fi
bench "gzip -dc $CSV.gz (inflate alone)" "$CSV.gz" -- sh -c 'gzip -dc "$1" >/dev/null' sh "$CSV.gz"
bench "casepipe parse $CSV.gz" "$CSV.gz" -- "$CASEPIPE" parse "$CSV.gz"
if command -v mlr >/dev/null 2>&1; then
	bench "mlr --icsv --ojsonl cat $CSV" "$CSV" -- mlr --icsv --ojsonl cat "$CSV"
else
	skip "mlr --icsv --ojsonl cat $CSV" "mlr not installed"
fi
bench "python3 peer_csv.py $CSV" "$CSV" -- "$PY" "$here/peer_csv.py" "$CSV"
bench "casepipe parse $JSON" "$JSON" -- "$CASEPIPE" parse "$JSON"
if command -v mlr >/dev/null 2>&1; then
	bench "mlr --ijson --ojsonl cat $JSON" "$JSON" -- mlr --ijson --ojsonl cat "$JSON"
else
	skip "mlr --ijson --ojsonl cat $JSON" "mlr not installed"
fi
# issue 3: the XML reader beside python3's xml.etree.iterparse.
bench "casepipe parse $XML" "$XML" -- "$CASEPIPE" parse "$XML"
bench "casepipe parse --no-map $XML" "$XML" -- "$CASEPIPE" parse --no-map "$XML"
bench "python3 peer_xml.py $XML" "$XML" -- "$PY" "$here/peer_xml.py" "$XML"
# issue 8: the xlsx reader; MB/s here is the sheet's uncompressed XML
# ($XLSX_SHEET bytes) / 10^6 / wall, for casepipe and openpyxl alike.
measure "casepipe parse $XLSX (MB/s of sheet XML)" "$XLSX_SHEET" "" "" "$CASEPIPE" parse "$XLSX"
if [ -n "$XPY" ]; then
	# One run only: openpyxl takes many minutes on a million rows.
	runs=$RUNS
	RUNS=1
	measure "openpyxl read-only $XLSX (sheet XML, 1 run)" "$XLSX_SHEET" "" "" "$XPY" "$here/peer_xlsx.py" "$XLSX"
	RUNS=$runs
else
	skip "openpyxl read-only $XLSX (sheet XML)" "python3-openpyxl not installed"
fi
# issue 5: the report must not slow the audit chain by more than 20%.
bench "casepipe parse..validate $CSV" "$CSV" -- "$CASEPIPE" parse "$CSV" then normalise then validate
chain_wall=$last_wall
# issue 4: the same chain as a shell pipe, and the python3 csv + re peer.
bench "sh -c 'parse | normalise | validate' $CSV" "$CSV" -- sh -c '"$1" parse "$2" | "$1" normalise | "$1" validate' sh "$CASEPIPE" "$CSV"
bench "python3 peer_validate.py $CSV" "$CSV" -- "$PY" "$here/peer_validate.py" "$CSV"
if command -v mlr >/dev/null 2>&1; then
	# One run only: Miller's DSL takes minutes on a million rows.
	runs=$RUNS
	RUNS=1
	bench "mlr put -f peer_validate.mlr $CSV (1 run)" "$CSV" -- mlr --icsv --ojsonl --infer-none put -f "$here/peer_validate.mlr" "$CSV"
	RUNS=$runs
else
	skip "mlr put -f peer_validate.mlr $CSV" "mlr not installed"
fi
bench "casepipe parse..validate then report $CSV" "$CSV" -- sh -c '"$1" parse "$2" then normalise then validate then report --fail-on never -q --json report.json' sh "$CASEPIPE" "$CSV"
# issue 6: emit.  MB/s here is OUTPUT bytes / 10^6 / wall (stdout goes to
# bench/data/emit.out, sized after the runs); the input is big.ndjson,
# then big.csv.  The "baseline" row is the same parse writing almost
# nothing, so emit's own rate is about output bytes / (wall - baseline
# wall).  Each format's row has Miller's beside it, from the same input.
# mlr_out NAME -- ARG...: Miller's row, or a skip row without it.
mlr_out() {
	name=$1
	shift
	[ "${1:-}" = -- ] && shift
	if command -v mlr >/dev/null 2>&1; then
		bench_out "$name" -- mlr "$@"
	else
		skip "$name" "mlr not installed"
	fi
}
bench_out "casepipe parse $NDJSON then emit (baseline)" -- "$CASEPIPE" parse "$NDJSON" then emit --fields case_id
for f in csv tsv ndjson json xml; do
	bench_out "casepipe parse $NDJSON then emit -f $f" -- "$CASEPIPE" parse "$NDJSON" then emit -f "$f"
	case $f in csv) o=ocsv ;; tsv) o=otsv ;; ndjson) o=ojsonl ;; json) o=ojson ;; xml) o= ;; esac
	if [ -z "$o" ]; then
		skip "mlr (no XML output) $f" "mlr cannot write XML"
	else
		mlr_out "mlr --ijsonl --$o cat $NDJSON" -- --ijsonl "--$o" cat "$NDJSON"
	fi
done
# The same from standard input: emit alone reads NDJSON (no parse stage);
# Miller's peer is its --ocsv row above.
bench_out_stdin "casepipe emit -f csv < $NDJSON" "$NDJSON" -- "$CASEPIPE" emit -f csv
# The CSV chain: big.csv parsed and written back (the CSV output is the
# same bytes as big.csv).
for f in csv tsv; do
	bench_out "casepipe parse $CSV then emit -f $f" -- "$CASEPIPE" parse "$CSV" then emit -f "$f"
	mlr_out "mlr --icsv --o$f cat $CSV" -- --icsv "--o$f" cat "$CSV"
done
bench_out "casepipe parse $CSV then emit -f csv --excel" -- "$CASEPIPE" parse "$CSV" then emit -f csv --excel
# gzip output (MB/s of the compressed output): the default level 6 and
# --gzip-level 1, beside gzip(1) compressing big.csv, which is the same
# bytes as that CSV output, at the same levels.
bench_out "casepipe parse $CSV then emit -f csv.gz" -- "$CASEPIPE" parse "$CSV" then emit -f csv --gzip
bench_out "gzip -6 -c $CSV (deflate alone)" -- gzip -6 -c "$CSV"
bench_out "casepipe ... emit -f csv --gzip-level 1" -- "$CASEPIPE" parse "$CSV" then emit -f csv --gzip-level 1
bench_out "gzip -1 -c $CSV (deflate alone)" -- gzip -1 -c "$CSV"
# ----------------------------------------------------------------------

echo
echo "issue 2 targets for casepipe parse: >= 150 MB/s, peak RSS < 20 MiB (any input size)"
echo "issue 4 target for casepipe parse..validate: >= 1,000,000 records/s (about 1 s here), peak RSS < 64 MiB"
echo "   measured: $(awk -v n="$ROWS" -v t="${chain_wall:-0}" 'BEGIN { if (t > 0) printf "%.0f", n / t; else print "-" }') records/s"
echo "issue 5 target: ... then report within 20% of the wall time of parse..validate"
echo "issue 3 targets for casepipe parse of JSON: >= 50 MB/s, peak RSS < 32 MiB (any input size)"
echo "issue 3 targets for casepipe parse of XML: >= 50 MB/s, peak RSS < 32 MiB (any input size)"
echo "issue 6 targets for emit: CSV and NDJSON >= 150 MB/s of output, XML and JSON >= 80 MB/s, peak RSS bounded"
echo "issue 8 targets for casepipe parse of xlsx: >= 30 MB/s of sheet XML, peak RSS < 64 MiB + the shared strings"
[ "$failed" = 0 ] || { echo "$prog: some commands failed (see note column)" >&2; exit 1; }
