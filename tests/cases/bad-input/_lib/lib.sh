# Sourced by the bad-input cases' cmd files (tests/cases/bad-input/*/cmd).

# Whether the casepipe under test is built with AddressSanitizer (which
# reserves terabytes of address space, so `ulimit -v` cannot apply) or
# runs under a wrapper such as valgrind (CASEPIPE_WRAPPER, see
# tests/run-cases.sh).
unbounded() {
	[ -n "${CASEPIPE_WRAPPER:-}" ] && return 0
	bin=$(command -v casepipe)
	bin=$(readlink -f "$bin")
	ldd "$bin" 2>/dev/null | grep -q libasan && return 0
	nm "$bin" 2>/dev/null | grep -q __asan_init && return 0
	return 1
}

# limit_memory MB: no casepipe run after this may use more than MB MiB of
# address space (a bounded-memory check), unless unbounded() says it cannot
# be measured that way.
limit_memory() {
	unbounded || ulimit -v $(($1 * 1024))
}

# conserved IN OUT ERR: records in (IN, known from how the input was made)
# must be the records written (lines of OUT) plus those rejected (the
# "N of M records rejected" message in ERR).
conserved() {
	out=$(grep -c '^{' "$2")
	rej=$(sed -n 's/.* \([0-9]*\) of [0-9]* records rejected$/\1/p' "$3" | awk '{ n += $1 } END { print n + 0 }')
	if [ "$1" -eq $((out + rej)) ]; then
		echo "records: $1 in = $out out + $rej rejected"
	else
		echo "records LOST: $1 in, $out out, $rej rejected"
	fi
}

# status: prints "exit N" for the last command, and "killed by SIG" for a
# signal (a crash shows up in the expected output as a difference).
st() {
	s=$?
	if [ "$s" -gt 128 ]; then echo "killed by signal $((s - 128))"; else echo "exit $s"; fi
}
