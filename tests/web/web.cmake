# SPDX-License-Identifier: Apache-2.0
# The web front-end in a real headless Chromium (tests/web/cdp.py drives it
# over the DevTools protocol): /v/{id}, /verifikasi (file upload) and the
# portal at /, judged by the rendered DOM, console errors and HTTP status.
# SQLite only: the pages, not the store, are under test here.
find_program(SERTEL_BASH_WEB bash REQUIRED)
add_test(NAME web_browser
  COMMAND ${SERTEL_BASH_WEB} ${CMAKE_CURRENT_LIST_DIR}/test_browser.sh)
set_tests_properties(web_browser PROPERTIES TIMEOUT 300 LABELS "browser"
  ENVIRONMENT "SERTEL_TEST_DB=sqlite;SERTEL_SHARED=${SERTEL_SHARED_DIR};SERTEL_BIN=$<TARGET_FILE:sertel>;SERTEL_BUILD=${CMAKE_BINARY_DIR}")

# Templates and message catalogues (src/web), including the ones shipped
# under web/.
sertel_unit_test(web_unit SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_web.c LIBS sertel_web)
set_tests_properties(web_unit PROPERTIES
  ENVIRONMENT "SERTEL_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
