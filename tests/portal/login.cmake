# SPDX-License-Identifier: Apache-2.0
# Logging in to the portal with a client certificate on the portal's own
# listener (raw HTTPS and headless Chromium with an NSS database of its
# own) and with OpenID Connect against a provider written for the test;
# screenshots under build/screenshots/portal-mtls and portal-oidc.
find_program(SERTEL_BASH_LOGIN bash REQUIRED)
add_test(NAME portal_mtls
  COMMAND ${SERTEL_BASH_LOGIN} ${CMAKE_CURRENT_LIST_DIR}/test_portal_mtls.sh)
set_tests_properties(portal_mtls PROPERTIES TIMEOUT 300 LABELS "browser"
  ENVIRONMENT "SERTEL_TEST_DB=sqlite;SERTEL_SHARED=${SERTEL_SHARED_DIR};SERTEL_BIN=$<TARGET_FILE:sertel>;SERTEL_BUILD=${CMAKE_BINARY_DIR};PORTAL_SHOTS=portal-mtls")

# The ID token checks of OpenID Connect (RS256, ES256; claims; refused
# algorithms and keys), tokens made in the test with OpenSSL.
sertel_unit_test(portal_oidc SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_oidc.c LIBS sertel_portal)

# Single sign-on against a provider written for the test (loopback only).
add_test(NAME portal_oidc_web
  COMMAND ${SERTEL_BASH_LOGIN} ${CMAKE_CURRENT_LIST_DIR}/test_portal_oidc.sh)
set_tests_properties(portal_oidc_web PROPERTIES TIMEOUT 300 LABELS "browser"
  ENVIRONMENT "SERTEL_TEST_DB=sqlite;SERTEL_SHARED=${SERTEL_SHARED_DIR};SERTEL_BIN=$<TARGET_FILE:sertel>;SERTEL_BUILD=${CMAKE_BINARY_DIR};PORTAL_SHOTS=portal-oidc")

# OpenID Connect logins in flight on SQLite and PostgreSQL: hashes only,
# single use by the browser that started them (even raced), expiry, bound.
sertel_store_unit_test(portal_oidc_state SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_oidc_state.c
  LIBS sertel_portal)
