# SPDX-License-Identifier: Apache-2.0
# Security incidents "at once" (issue 13): a real server, aiosmtpd on
# loopback down then up, real headless Chromium; every route x every role.
# Screenshots under build/screenshots/portal-gov-incident.
find_program(SERTEL_BASH_PORTAL_GOV_INCIDENT bash REQUIRED)
add_test(NAME portal_gov_incident
  COMMAND ${SERTEL_BASH_PORTAL_GOV_INCIDENT} ${CMAKE_CURRENT_LIST_DIR}/test_portal_gov_incident.sh)
set_tests_properties(portal_gov_incident PROPERTIES TIMEOUT 400 LABELS "browser"
  ENVIRONMENT "SERTEL_TEST_DB=sqlite;SERTEL_SHARED=${SERTEL_SHARED_DIR};SERTEL_BIN=$<TARGET_FILE:sertel>;SERTEL_BUILD=${CMAKE_BINARY_DIR};PORTAL_SHOTS=portal-gov-incident")
