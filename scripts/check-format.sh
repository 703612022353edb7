#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Reports files that differ from .clang-format.  Formatting drift is
# reported, not fatal, unless SERTEL_FORMAT_STRICT=1.
set -eu
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "check-format: clang-format missing"; exit 1; }
bad=0
for f in $(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'bench/*.c' 2>/dev/null); do
	if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
		bad=$((bad + 1))
		[ "${SERTEL_FORMAT_STRICT:-0}" = 1 ] && echo "not formatted: $f"
	fi
done
echo "check-format: $bad file(s) differ from .clang-format"
[ "${SERTEL_FORMAT_STRICT:-0}" = 1 ] && [ $bad -ne 0 ] && exit 1
exit 0
