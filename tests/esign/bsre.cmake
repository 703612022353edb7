# SPDX-License-Identifier: Apache-2.0
# Issue 12: BSrE compatibility of the existing calls.
#   esign_bsre:    every endpoint and every example of BSrE's guide (v1
#                  multipart with curl, v2 JSON), asserting BSrE's status
#                  codes, field names, formats and headers, on SQLite and
#                  on the throwaway PostgreSQL.
#   esign_client_php / esign_client_node: a PHP client (php-cli,
#                  php-curl, Debian's Guzzle) and a Node one (axios +
#                  form-data from npm, SKIPPED when neither cached nor
#                  reachable) written the way Pemda apps call BSrE,
#                  judged by pdfsig and sertel verify.
find_program(SERTEL_BASH_BSRE bash REQUIRED)
sertel_store_test(esign_bsre ${SERTEL_BASH_BSRE} ${CMAKE_CURRENT_LIST_DIR}/test_bsre.sh)
set_tests_properties(esign_bsre.sqlite esign_bsre.pg PROPERTIES TIMEOUT 600 LABELS "store;http")
foreach(lang php node)
  add_test(NAME esign_client_${lang}
    COMMAND ${SERTEL_BASH_BSRE} ${CMAKE_CURRENT_LIST_DIR}/test_bsre_clients.sh ${lang})
  set_tests_properties(esign_client_${lang} PROPERTIES LABELS "store;http;interop"
    TIMEOUT 300 SKIP_RETURN_CODE 77
    ENVIRONMENT "SERTEL_TEST_DB=sqlite;SERTEL_SHARED=${SERTEL_SHARED_DIR};SERTEL_BIN=$<TARGET_FILE:sertel>;SERTEL_BUILD=${CMAKE_BINARY_DIR}")
endforeach()
