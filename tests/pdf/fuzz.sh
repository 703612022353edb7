#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Builds the libFuzzer harness tests/pdf/fuzz_pdf.c with clang over
# src/pdf/*.c and the src/core files it needs, then runs it for SECONDS
# (default 25) from the seed corpus.  Any crash, leak, sanitizer report or
# timeout fails the test.
#
# usage: fuzz.sh SOURCE_DIR WORK_DIR [SECONDS]
set -eu
SRC=${1:?usage: fuzz.sh SOURCE_DIR WORK_DIR [SECONDS]}
WORK=${2:?usage: fuzz.sh SOURCE_DIR WORK_DIR [SECONDS]}
SECS=${3:-25}
CLANG=${CLANG:-clang}
command -v "$CLANG" >/dev/null || { echo "clang missing (scripts/deps.sh)"; exit 1; }
mkdir -p "$WORK/corpus" "$WORK/artifacts"
# src/pdf depends on src/core only: errors, buffers, hex and sha256
"$CLANG" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter -I"$SRC/src" \
	-o "$WORK/fuzz_pdf" "$SRC/tests/pdf/fuzz_pdf.c" "$SRC"/src/pdf/*.c \
	"$SRC/src/core/error.c" "$SRC/src/core/buf.c" "$SRC/src/core/util.c" -lcrypto -lz
# new inputs go to WORK/corpus; the seeds in the source tree stay as they are
exec "$WORK/fuzz_pdf" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
	-max_len=65536 -dict="$SRC/tests/pdf/pdf.dict" -print_final_stats=1 \
	-artifact_prefix="$WORK/artifacts/" "$WORK/corpus" "$SRC/tests/pdf/corpus"
