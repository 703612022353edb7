# SPDX-License-Identifier: Apache-2.0
# The superior's acknowledgement of a loss report (src/ra/revoke.c), on
# SQLite and PostgreSQL: recorded, audited, only by the superior named.
sertel_store_unit_test(ra_loss_ack SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_loss_ack.c
  LIBS sertel_ra)

# The owner's and the head of agency's pages in real headless Chromium:
# renewal, passphrase change (the new one signs through the e-sign API),
# TOTP with the QR code, revocation with confirmation, a loss report, the
# head's staff list, acknowledgement and a revocation for pensiun judged by
# openssl crl and openssl ocsp; raw HTTP role tests for every route.
# Screenshots under build/screenshots/portal-owner.
find_program(SERTEL_BASH_PORTAL_OWNER bash REQUIRED)
add_test(NAME portal_owner
  COMMAND ${SERTEL_BASH_PORTAL_OWNER} ${CMAKE_CURRENT_LIST_DIR}/test_portal_owner.sh)
set_tests_properties(portal_owner PROPERTIES TIMEOUT 300 LABELS "browser"
  ENVIRONMENT "SERTEL_TEST_DB=sqlite;SERTEL_SHARED=${SERTEL_SHARED_DIR};SERTEL_BIN=$<TARGET_FILE:sertel>;SERTEL_BUILD=${CMAKE_BINARY_DIR};PORTAL_SHOTS=portal-owner")
