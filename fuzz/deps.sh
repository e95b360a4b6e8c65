#!/bin/sh
# fuzz/deps.sh — installs what `make fuzz` needs beyond `make check`:
# clang and its libFuzzer runtime (libclang-rt-14-dev on Debian 12).
set -eu
missing=
command -v clang >/dev/null 2>&1 || missing="$missing clang"
# The runtime is there when clang can link an empty fuzz target.
if [ -z "$missing" ]; then
	tmp=$(mktemp -d)
	printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$tmp/t.c"
	clang -fsanitize=fuzzer -o "$tmp/t" "$tmp/t.c" >/dev/null 2>&1 || missing="$missing libclang-rt-14-dev"
	rm -rf "$tmp"
fi
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	echo "installing:$missing" >&2
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
else
	echo "make fuzz needs:$missing" >&2
	echo "  sudo apt-get install -y$missing" >&2
	exit 1
fi
