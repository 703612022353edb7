# Issue 12: BSrE compatibility of the existing calls.
#   esign_bsre:    every endpoint and every example of BSrE's guide (v1
#                  multipart with curl, v2 JSON), asserting BSrE's status
#                  codes, field names, formats and headers, on SQLite and
#                  on the throwaway PostgreSQL.
#   esign_clients: a PHP client (php-cli, php-curl, Debian's Guzzle) and a
#                  Node one (axios + form-data from npm) written the way
#                  Pemda apps call BSrE, judged by pdfsig and sertel verify.
find_program(SERTEL_BASH_BSRE bash REQUIRED)
sertel_store_test(esign_bsre ${SERTEL_BASH_BSRE} ${CMAKE_CURRENT_LIST_DIR}/test_bsre.sh)
set_tests_properties(esign_bsre.sqlite esign_bsre.pg PROPERTIES TIMEOUT 600 LABELS "store;http")
