# SPDX-License-Identifier: Apache-2.0
# Issuance in person at the OP desk in real headless Chromium, with a real
# SMTP server on loopback for the desk codes and the login links;
# screenshots under build/screenshots/portal-desk.
find_program(SERTEL_BASH_PORTAL_DESK bash REQUIRED)
add_test(NAME portal_desk
  COMMAND ${SERTEL_BASH_PORTAL_DESK} ${CMAKE_CURRENT_LIST_DIR}/test_portal_desk.sh)
set_tests_properties(portal_desk PROPERTIES TIMEOUT 300 LABELS "browser"
  ENVIRONMENT "SERTEL_TEST_DB=sqlite;SERTEL_SHARED=${SERTEL_SHARED_DIR};SERTEL_BIN=$<TARGET_FILE:sertel>;SERTEL_BUILD=${CMAKE_BINARY_DIR};PORTAL_SHOTS=portal-desk")
