# SPDX-License-Identifier: Apache-2.0
# Governance, coverage (issue 13): /portal/cakupan and /portal/sistem in
# real headless Chromium and as raw HTTP for every role; screenshots under
# build/screenshots/portal-gov-cover.
find_program(SERTEL_BASH_GOVCOVER bash REQUIRED)
add_test(NAME portal_gov_cover
  COMMAND ${SERTEL_BASH_GOVCOVER} ${CMAKE_CURRENT_LIST_DIR}/test_portal_gov_cover.sh)
set_tests_properties(portal_gov_cover PROPERTIES TIMEOUT 300 LABELS "browser"
  ENVIRONMENT "SERTEL_TEST_DB=sqlite;SERTEL_SHARED=${SERTEL_SHARED_DIR};SERTEL_BIN=$<TARGET_FILE:sertel>;SERTEL_BUILD=${CMAKE_BINARY_DIR};PORTAL_SHOTS=portal-gov-cover")
