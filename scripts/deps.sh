#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian 12 packages sertel needs that are missing.
# Idempotent and quiet when everything is present; no stdin needed.
#   scripts/deps.sh build   libraries and tools to build and run
#   scripts/deps.sh test    also the real peers the tests and benchmarks use
set -eu

BUILD="build-essential cmake pkg-config libssl-dev openssl libsqlite3-dev sqlite3
libpq-dev libmicrohttpd-dev libjansson-dev libsodium-dev libcmocka-dev zlib1g-dev
libinih-dev curl ca-certificates libcurl4-openssl-dev libcairo2-dev libpango1.0-dev
libqrencode-dev fonts-dejavu-core libpoppler-glib-dev"
TEST="postgresql clang clang-format wrk golang-cfssl python3 jq python3-aiosmtpd
poppler-utils qpdf zbar-tools fontconfig mupdf-tools libpodofo-utils libnss3-tools
gpgsm chromium libreoffice-writer-nogui php-cli php-curl php-guzzlehttp-guzzle"

want=$BUILD
[ "${1:-build}" = test ] && want="$BUILD $TEST"

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
# Node and npm (the Node client test): by command, since a machine may have
# them from another source whose packages conflict with Debian's npm.
if [ "${1:-build}" = test ] && ! command -v npm >/dev/null 2>&1; then
	missing="$missing nodejs npm"
fi
[ -z "$missing" ] && exit 0

echo "deps: installing$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo -n"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq </dev/null >/dev/null
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing </dev/null >/dev/null
