#!/bin/sh
# tests/conservation.sh CASEPIPE [ROWS] — nothing is lost on the way through.
# See tests/conservation.py and docs/TESTING.md.
exec python3 "$(dirname "$0")/conservation.py" "$@"
