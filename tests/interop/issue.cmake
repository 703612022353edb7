# SPDX-License-Identifier: Apache-2.0
# Interop tests: the sertel CLI judged by openssl, sqlite3/psql and jq.
# Each runs on SQLite and on the throwaway PostgreSQL (NAME.sqlite, NAME.pg).
# The scripts share tests/interop/lib.sh; each prints "N passed, M failed"
# as its last line and exits non-zero on any failure.
find_program(SERTEL_BASH bash REQUIRED)

sertel_store_test(interop_issue ${SERTEL_BASH} ${CMAKE_CURRENT_LIST_DIR}/test_issue.sh)
sertel_store_test(interop_bad_input ${SERTEL_BASH} ${CMAKE_CURRENT_LIST_DIR}/test_bad_input.sh)
sertel_store_test(interop_audit_tamper ${SERTEL_BASH} ${CMAKE_CURRENT_LIST_DIR}/test_audit_tamper.sh)

foreach(t interop_issue interop_bad_input interop_audit_tamper)
  set_tests_properties(${t}.sqlite ${t}.pg PROPERTIES TIMEOUT 300 LABELS "store;interop")
endforeach()
