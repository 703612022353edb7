#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Every source file carries the licence's SPDX line (LICENSE, Apache-2.0):
# C, shell, Python, Lua, CSS, JS and the build files.  Templates, message
# catalogues and docs are text, not source, and are left out.
cd "$(dirname "$0")/.." || exit 2
bad=0
for f in $(git ls-files '*.c' '*.h' '*.sh' '*.py' '*.lua' '*.css' '*.js' '*.cmake' \
	'CMakeLists.txt' '*/CMakeLists.txt' Makefile .ci/run); do
	case $f in docs/* | web/portal/* | web/i18n/*) continue ;; esac
	if ! head -n 3 "$f" | grep -q 'SPDX-License-Identifier: Apache-2.0'; then
		echo "no SPDX line: $f"
		bad=$((bad + 1))
	fi
done
if [ "$bad" -gt 0 ]; then
	echo "check-spdx: $bad file(s) without 'SPDX-License-Identifier: Apache-2.0'"
	exit 1
fi
echo "check-spdx: every source file has its SPDX line"
