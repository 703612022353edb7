# SPDX-License-Identifier: Apache-2.0
# PAdES signing (`sertel sign pdf`: B-B..B-LTA, visible, marker, footer,
# DocMDP, batch) judged by pdfsig, qpdf, mutool, pdftotext and openssl;
# runs on SQLite and on the throwaway PostgreSQL (sign_pades.sqlite,
# sign_pades.pg).  The unit test drives appearance.c and pades.c through
# pades_sign() on hostile and unusual inputs.
find_program(SERTEL_BASH bash REQUIRED)

sertel_store_test(sign_pades ${SERTEL_BASH} ${CMAKE_CURRENT_LIST_DIR}/test_pades.sh)
set_tests_properties(sign_pades.sqlite sign_pades.pg PROPERTIES TIMEOUT 300 LABELS "store;interop")

sertel_unit_test(sign_pades_unit SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_pades.c LIBS sertel_sign)
