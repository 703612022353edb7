# SPDX-License-Identifier: Apache-2.0
# The signing page (issue 11) in real headless Chromium with a real SMTP
# server on loopback: two documents signed (drag placement, a marker), a
# two-signer flow in order, downloads judged by pdfsig, qpdf and sertel
# verify; screenshots under build/screenshots/portal-sign.
find_program(SERTEL_BASH_PORTAL_SIGN bash REQUIRED)
add_test(NAME portal_sign
  COMMAND ${SERTEL_BASH_PORTAL_SIGN} ${CMAKE_CURRENT_LIST_DIR}/test_portal_sign.sh)
set_tests_properties(portal_sign PROPERTIES TIMEOUT 400 LABELS "browser"
  ENVIRONMENT "SERTEL_TEST_DB=sqlite;SERTEL_SHARED=${SERTEL_SHARED_DIR};SERTEL_BIN=$<TARGET_FILE:sertel>;SERTEL_BUILD=${CMAKE_BINARY_DIR};PORTAL_SHOTS=portal-sign")
