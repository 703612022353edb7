# SPDX-License-Identifier: Apache-2.0
# The governance hub and the annual report page (issue 13) in real headless
# Chromium, with a real SMTP server on loopback for the login links;
# screenshots under build/screenshots/portal-greport.
find_program(SERTEL_BASH_PORTAL_GREPORT bash REQUIRED)
add_test(NAME portal_greport
  COMMAND ${SERTEL_BASH_PORTAL_GREPORT} ${CMAKE_CURRENT_LIST_DIR}/test_portal_greport.sh)
set_tests_properties(portal_greport PROPERTIES TIMEOUT 300 LABELS "browser"
  ENVIRONMENT "SERTEL_TEST_DB=sqlite;SERTEL_SHARED=${SERTEL_SHARED_DIR};SERTEL_BIN=$<TARGET_FILE:sertel>;SERTEL_BUILD=${CMAKE_BINARY_DIR};PORTAL_SHOTS=portal-greport")
