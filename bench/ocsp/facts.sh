#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Machine and version facts for the OCSP and CRL reports (key=value):
#   facts.sh SERTEL WORK
# The same facts bench/issue/run.sh records, minus PostgreSQL and fsync.
SERTEL=$1 WORK=$2
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
echo "nproc=$(nproc)"
echo "loadavg=$(cut -d' ' -f1-3 /proc/loadavg)"
echo "cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
echo "mem=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
echo "kernel=$(uname -sr)"
echo "os=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")"
echo "openssl=$(openssl version | cut -d' ' -f1-2)"
echo "cfssl=$(cfssl version 2>/dev/null | sed -n 's/^Version: //p') ($(cfssl version 2>/dev/null | sed -n 's/^Runtime: //p'))"
echo "wrk=$(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)"
echo "sqlite=$(sqlite3 --version 2>/dev/null | cut -d' ' -f1)"
echo "sertel=$("$SERTEL" --version 2>/dev/null | cut -d' ' -f2)"
echo "commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "fs=$(df -PT "$WORK" | awk 'NR == 2 { print $2 " on " $1 }')"
