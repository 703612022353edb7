# SPDX-License-Identifier: Apache-2.0
# The portal's rules (src/portal): sessions, CSRF tokens, one-time login
# links and client-certificate logins, on SQLite and PostgreSQL.
sertel_store_unit_test(portal_rules SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_portal.c
  LIBS sertel_portal)

# The portal's pages in real headless Chromium, with a real SMTP server on
# loopback for the one-time login links; screenshots under
# build/screenshots/portal.
find_program(SERTEL_BASH_PORTAL bash REQUIRED)
add_test(NAME portal_web
  COMMAND ${SERTEL_BASH_PORTAL} ${CMAKE_CURRENT_LIST_DIR}/test_portal_web.sh)
set_tests_properties(portal_web PROPERTIES TIMEOUT 300 LABELS "browser"
  ENVIRONMENT "SERTEL_TEST_DB=sqlite;SERTEL_SHARED=${SERTEL_SHARED_DIR};SERTEL_BIN=$<TARGET_FILE:sertel>;SERTEL_BUILD=${CMAKE_BINARY_DIR}")

# The whole lifecycle for each type, only through the portal's pages.
add_test(NAME portal_lifecycle
  COMMAND ${SERTEL_BASH_PORTAL} ${CMAKE_CURRENT_LIST_DIR}/test_portal_lifecycle.sh)
set_tests_properties(portal_lifecycle PROPERTIES TIMEOUT 400 LABELS "browser"
  ENVIRONMENT "SERTEL_TEST_DB=sqlite;SERTEL_SHARED=${SERTEL_SHARED_DIR};SERTEL_BIN=$<TARGET_FILE:sertel>;SERTEL_BUILD=${CMAKE_BINARY_DIR}")

# Every route with every role, as raw HTTP (the routes from the server's
# own tables).
add_test(NAME portal_roles
  COMMAND ${SERTEL_BASH_PORTAL} ${CMAKE_CURRENT_LIST_DIR}/test_portal_roles.sh)
set_tests_properties(portal_roles PROPERTIES TIMEOUT 300 LABELS "browser"
  ENVIRONMENT "SERTEL_TEST_DB=sqlite;SERTEL_SHARED=${SERTEL_SHARED_DIR};SERTEL_BIN=$<TARGET_FILE:sertel>;SERTEL_BUILD=${CMAKE_BINARY_DIR}")
