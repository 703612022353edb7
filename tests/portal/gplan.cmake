# SPDX-License-Identifier: Apache-2.0
# Governance, needs / master plan / decree in real headless Chromium
# (tests/portal/gplan_flow.py): the pages of each role, every route and
# action with every role as raw HTTP (refusals change nothing), the review
# banner and its notice through the loopback SMTP server, the REST API and
# the CLI; screenshots under build/screenshots/portal-gplan.
find_program(SERTEL_BASH_GPLAN bash REQUIRED)
add_test(NAME portal_gplan
  COMMAND ${SERTEL_BASH_GPLAN} ${CMAKE_CURRENT_LIST_DIR}/test_portal_gplan.sh)
set_tests_properties(portal_gplan PROPERTIES TIMEOUT 400 LABELS "browser"
  ENVIRONMENT "SERTEL_TEST_DB=sqlite;PORTAL_SHOTS=portal-gplan;SERTEL_SHARED=${SERTEL_SHARED_DIR};SERTEL_BIN=$<TARGET_FILE:sertel>;SERTEL_BUILD=${CMAKE_BINARY_DIR}")
