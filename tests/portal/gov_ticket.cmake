# SPDX-License-Identifier: Apache-2.0
# Complaints, the issuer's help and published guidance (issue 13) in real
# headless Chromium with a real SMTP server on loopback, and raw HTTP, the
# API and the CLI for every role: a complaint about an OP operator never
# reaches that operator (page, list, search, attachment, API, CLI, mail);
# screenshots under build/screenshots/portal-gov-ticket.
find_program(SERTEL_BASH_PORTAL_GOV_TICKET bash REQUIRED)
add_test(NAME portal_gov_ticket
  COMMAND ${SERTEL_BASH_PORTAL_GOV_TICKET} ${CMAKE_CURRENT_LIST_DIR}/test_portal_gov_ticket.sh)
set_tests_properties(portal_gov_ticket PROPERTIES TIMEOUT 600 LABELS "browser"
  ENVIRONMENT "SERTEL_TEST_DB=sqlite;SERTEL_SHARED=${SERTEL_SHARED_DIR};SERTEL_BIN=$<TARGET_FILE:sertel>;SERTEL_BUILD=${CMAKE_BINARY_DIR};PORTAL_SHOTS=portal-gov-ticket")
