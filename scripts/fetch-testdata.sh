#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Fetches the shared test data the PKITS and OCSP-vector tests read, for a
# clone without ../shared/testdata:
#   scripts/fetch-testdata.sh DIR      then: SERTEL_TESTDATA=DIR ctest ...
#
# DIR/pkits/: NIST's PKITS certificates and CRLs (public domain) from
# NIST's Computer Security Resource Center, with the case list pkits.json
# (MIT) of the pyHanko project's certvalidator fixtures; DIR/ocsp-openssl/:
# OpenSSL's OCSP response vectors (Apache-2.0) as pyHanko packages them.
# Without the data those tests report themselves skipped, never passed.
# URLs may be overridden: PKITS_ZIP, FIXTURES_TAR.
set -eu
DIR=${1:?usage: scripts/fetch-testdata.sh DIR}
PKITS_ZIP=${PKITS_ZIP:-https://csrc.nist.gov/CSRC/media/Projects/PKI-Testing/documents/PKITS_data.zip}
FIXTURES_TAR=${FIXTURES_TAR:-https://github.com/MatthiasValvekens/certvalidator/archive/refs/heads/master.tar.gz}
mkdir -p "$DIR/pkits" "$DIR/ocsp-openssl"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
echo "fetch-testdata: PKITS from NIST"
curl -fsSL --max-time 300 -o "$T/pkits.zip" "$PKITS_ZIP"
(cd "$T" && unzip -q pkits.zip)
cp "$T"/certs/*.crt "$DIR/pkits/certs/" 2>/dev/null || { mkdir -p "$DIR/pkits/certs"; cp "$T"/certs/*.crt "$DIR/pkits/certs/"; }
mkdir -p "$DIR/pkits/crls"
cp "$T"/crls/*.crl "$DIR/pkits/crls/"
echo "fetch-testdata: case lists from the certvalidator fixtures"
curl -fsSL --max-time 300 -o "$T/fx.tar.gz" "$FIXTURES_TAR"
tar -xzf "$T/fx.tar.gz" -C "$T"
src=$(find "$T" -path '*fixtures*' -name pkits.json | head -n 1)
[ -n "$src" ] || { echo "fetch-testdata: pkits.json not found in the fixtures" >&2; exit 2; }
cp "$src" "$DIR/pkits/pkits.json"
ocsp=$(find "$T" -path '*fixtures*' -type d -name 'openssl-ocsp' | head -n 1)
[ -n "$ocsp" ] && cp -r "$ocsp"/. "$DIR/ocsp-openssl/"
echo "fetch-testdata: done; run the tests with SERTEL_TESTDATA=$DIR"
