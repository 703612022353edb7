# SPDX-License-Identifier: Apache-2.0
# f-finish (issue 11): the signing page's previews drawn in a limited
# child process (sertel render-page) and the next signers chosen by name,
# in real headless Chromium with a real SMTP server on loopback;
# screenshots under build/screenshots/portal-finish.  And the people
# search behind the picker (ra_person_search) on SQLite and PostgreSQL.
find_program(SERTEL_BASH_PORTAL_FINISH bash REQUIRED)
add_test(NAME portal_finish
  COMMAND ${SERTEL_BASH_PORTAL_FINISH} ${CMAKE_CURRENT_LIST_DIR}/test_portal_finish.sh)
set_tests_properties(portal_finish PROPERTIES TIMEOUT 400 LABELS "browser"
  ENVIRONMENT "SERTEL_TEST_DB=sqlite;SERTEL_SHARED=${SERTEL_SHARED_DIR};SERTEL_BIN=$<TARGET_FILE:sertel>;SERTEL_BUILD=${CMAKE_BINARY_DIR};PORTAL_SHOTS=portal-finish")

# The child's limits and the parent's bounds, without a server: the
# sertel binary of this build is the child (SERTEL_BIN).
sertel_unit_test(finish_render SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_finish_render.c
  LIBS sertel_render)
set_tests_properties(finish_render PROPERTIES TIMEOUT 120)

# The people search behind the picker (ra_person_search), on SQLite and
# PostgreSQL.
sertel_store_unit_test(finish_people SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_finish_people.c
  LIBS sertel_ra)
