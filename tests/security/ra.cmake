# SPDX-License-Identifier: Apache-2.0
# Issue 19, the RA area: names bound to the person record, permission
# before state, auditors appointed by the kepala-dinas, CSR key and PEM
# checks (unit and through the CLI, the CA API and the RA API), and the
# SQLite database file's mode.
sertel_unit_test(test_sec_csr_keys SOURCES ${SERTEL_TEST_DIR}/security/test_csr_keys.c LIBS sertel_pki)
find_program(SERTEL_BASH_SEC_RA bash REQUIRED)
sertel_store_test(sec_ra_names ${SERTEL_BASH_SEC_RA} ${CMAKE_CURRENT_LIST_DIR}/test_ra_names.sh)
set_tests_properties(sec_ra_names.sqlite sec_ra_names.pg PROPERTIES TIMEOUT 300 LABELS "store;http;security")
# The database file is SQLite's alone: no PostgreSQL variant.
add_test(NAME sec_db_mode COMMAND ${SERTEL_BASH_SEC_RA} ${CMAKE_CURRENT_LIST_DIR}/test_db_mode.sh)
set_tests_properties(sec_db_mode PROPERTIES TIMEOUT 120 LABELS "store;security"
  ENVIRONMENT "SERTEL_TEST_DB=sqlite;SERTEL_SHARED=${SERTEL_SHARED_DIR};SERTEL_BIN=$<TARGET_FILE:sertel>;SERTEL_BUILD=${CMAKE_BINARY_DIR}")
