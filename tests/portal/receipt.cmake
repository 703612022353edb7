# SPDX-License-Identifier: Apache-2.0
# The desk receipt signed by its witness (esign_sign, as the API), in real
# headless Chromium with a real SMTP server on loopback; the signed PDF
# judged by pdfsig, qpdf and sertel verify; screenshots under
# build/screenshots/portal-receipt.
find_program(SERTEL_BASH_PORTAL_RECEIPT bash REQUIRED)
add_test(NAME portal_receipt
  COMMAND ${SERTEL_BASH_PORTAL_RECEIPT} ${CMAKE_CURRENT_LIST_DIR}/test_portal_receipt.sh)
set_tests_properties(portal_receipt PROPERTIES TIMEOUT 300 LABELS "browser"
  ENVIRONMENT "SERTEL_TEST_DB=sqlite;SERTEL_SHARED=${SERTEL_SHARED_DIR};SERTEL_BIN=$<TARGET_FILE:sertel>;SERTEL_BUILD=${CMAKE_BINARY_DIR};PORTAL_SHOTS=portal-receipt")
