# SPDX-License-Identifier: Apache-2.0
# The validation authority over HTTP (/ocsp, /tsa, /crl, /ca) judged by the
# openssl command line (ocsp, ts, crl, verify) and curl; runs on SQLite and
# on the throwaway PostgreSQL (interop_va.sqlite, interop_va.pg).
find_program(SERTEL_BASH bash REQUIRED)

sertel_store_test(interop_va ${SERTEL_BASH} ${CMAKE_CURRENT_LIST_DIR}/test_va.sh)
set_tests_properties(interop_va.sqlite interop_va.pg PROPERTIES TIMEOUT 120 LABELS "store;interop")
