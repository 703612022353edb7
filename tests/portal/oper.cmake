# SPDX-License-Identifier: Apache-2.0
# The operator's and the Kepala Dinas's rules (certificate search, serial
# forms, dismissal, approval rules, warnings, locked owners, notices by
# recipient), on SQLite and PostgreSQL.
sertel_store_unit_test(oper_rules SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_oper.c
  LIBS sertel_esign sertel_portal)

# Their pages in real headless Chromium (search, bulk revocation with the
# CRL as judge, warnings, unlock, client applications, notices, the Kepala
# Dinas's dismissal and approval rules) and raw HTTP role tests;
# screenshots under build/screenshots/portal-oper.
find_program(SERTEL_BASH_PORTAL_OPER bash REQUIRED)
add_test(NAME portal_oper
  COMMAND ${SERTEL_BASH_PORTAL_OPER} ${CMAKE_CURRENT_LIST_DIR}/test_portal_oper.sh)
set_tests_properties(portal_oper PROPERTIES TIMEOUT 600 LABELS "browser"
  ENVIRONMENT "SERTEL_TEST_DB=sqlite;SERTEL_SHARED=${SERTEL_SHARED_DIR};SERTEL_BIN=$<TARGET_FILE:sertel>;SERTEL_BUILD=${CMAKE_BINARY_DIR};PORTAL_SHOTS=portal-oper")
