#!/bin/bash
# tests/run-cases.sh CASEPIPE [DIR...] — end-to-end golden cases (all, or
# those under each DIR).
#
# A case is a folder under tests/cases/<stage>/<name>/ holding:
#   cmd        the shell command to run, in the case folder, with `casepipe`
#              on PATH (the binary under test) and ../shared/suites as
#              $SUITES
#   expout     expected standard output
#   experr     expected standard error (absent: must be empty)
#   expstatus  expected exit status (absent: 0)
# and any input files the command reads.
#
# UPDATE=1 tests/run-cases.sh CASEPIPE  rewrites expout/experr/expstatus
# from what the binary does now; review the diff before committing.
#
# CASEPIPE_WRAPPER="valgrind -q ..." runs every casepipe command of the
# cases under that command (make check-valgrind); cases can test for it.
# A case that cannot run here prints "skip: REASON" and exits 77; it is
# counted and listed as skipped.
#
# Each case runs in a fresh copy of its folder, at the same place in a
# scratch tree under $TMPDIR whose other entries are links to the real
# ones: the files a case makes never land in the source tree (a run
# leaves `git status` clean, and two runs may share a tree), while its
# ../ paths (../_lib, ../../../../fixtures) still resolve.
set -u

bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
root=$(cd "$(dirname "$0")/.." && pwd)
export SUITES
SUITES=$(cd "$root/../shared/suites" 2>/dev/null && pwd || echo "$root/../shared/suites")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin"
if [ -n "${CASEPIPE_WRAPPER:-}" ]; then
	printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$CASEPIPE_WRAPPER" "$bin" >"$tmp/bin/casepipe"
	chmod +x "$tmp/bin/casepipe"
else
	ln -s "$bin" "$tmp/bin/casepipe"
fi

# Arguments may be cases or folders of cases; none means all of them.
[ $# -eq 0 ] && set -- "$root/tests/cases"
# stage_case REL: makes $tree/REL a copy of $root/REL, every other entry on
# the way down a link to the real one.
tree=$tmp/tree
stage_case() {
	local here= part
	rm -rf "$tree"
	mkdir -p "$tree"
	IFS=/ read -ra parts <<<"$1"
	for part in "${parts[@]}"; do
		ln -s "$root/$here"* "$tree/$here"
		rm "$tree/$here$part"
		here=$here$part/
		mkdir "$tree/$here"
	done
	cp -r "$root/$1/." "$tree/$1/"
}

cases=()
for arg in "$@"; do
	while IFS= read -r dir; do cases+=("$dir"); done < <(find "$arg" -name cmd -printf '%h\n' | sort)
done
set -- "${cases[@]}"

pass=0
fail=0
skip=0
for dir in "$@"; do
	dir=$(cd "$dir" && pwd)
	name=${dir#"$root"/tests/cases/}
	stage_case "tests/cases/$name"
	(cd "$tree/tests/cases/$name" && PATH="$tmp/bin:$PATH" LC_ALL=C bash ./cmd >"$tmp/out" 2>"$tmp/err")
	status=$?
	if [ "$status" = 77 ] && grep -q '^skip: ' "$tmp/out"; then
		skip=$((skip + 1))
		echo "SKIP: $name: $(sed -n 's/^skip: //p' "$tmp/out")"
		continue
	fi
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$tmp/out" "$dir/expout"
		if [ -s "$tmp/err" ]; then cp "$tmp/err" "$dir/experr"; else rm -f "$dir/experr"; fi
		if [ "$status" != 0 ]; then echo "$status" >"$dir/expstatus"; else rm -f "$dir/expstatus"; fi
		echo "updated: $name"
		continue
	fi
	want_status=0
	[ -f "$dir/expstatus" ] && want_status=$(cat "$dir/expstatus")
	[ -f "$dir/experr" ] || : >"$tmp/noerr"
	errfile=$dir/experr
	[ -f "$errfile" ] || errfile=$tmp/noerr
	problems=
	cmp -s "$tmp/out" "$dir/expout" || problems="$problems stdout"
	cmp -s "$tmp/err" "$errfile" || problems="$problems stderr"
	[ "$status" = "$want_status" ] || problems="$problems status($status, want $want_status)"
	if [ -n "$problems" ]; then
		fail=$((fail + 1))
		echo "FAIL: $name:$problems"
		case $problems in *stdout*) diff -u "$dir/expout" "$tmp/out" | head -20 ;; esac
		case $problems in *stderr*) diff -u "$errfile" "$tmp/err" | head -20 ;; esac
	else
		pass=$((pass + 1))
	fi
done
[ "${UPDATE:-}" = 1 ] && exit 0
echo "cases: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
