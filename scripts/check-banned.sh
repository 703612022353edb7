#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Fails when sertel's C uses a call banned by STYLE.md (curl's list):
# sprintf, strcpy, strcat, gets, atoi, strtok (strtok_r is fine).
set -eu
cd "$(dirname "$0")/.."
hits=$(grep -rnE '(^|[^_a-zA-Z0-9])(sprintf|vsprintf|strcpy|strcat|gets|atoi|strtok)[[:space:]]*\(' \
	src tests bench --include='*.c' --include='*.h' 2>/dev/null || true)
if [ -n "$hits" ]; then
	echo "banned calls (see ../shared/STYLE.md):"
	echo "$hits"
	exit 1
fi
echo "check-banned: no banned calls"
