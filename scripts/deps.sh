#!/bin/sh
# scripts/deps.sh [PACKAGE...] — installs casepipe's missing Debian packages
# (by default those the build and make check need; make fuzz names its own).
# As root it runs apt-get; otherwise it prints the exact apt-get line and
# fails, so that `make demo` and `make check` never half-build.
set -eu

packages=${*:-gcc make pkg-config libjansson-dev libxml2-dev zlib1g-dev libzip-dev libcmocka-dev}

missing=
for p in $packages; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ]; then
	echo "installing:$missing" >&2
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
else
	echo "casepipe needs these Debian packages:$missing" >&2
	echo "install them with:" >&2
	echo "  sudo apt-get install -y$missing" >&2
	exit 1
fi
