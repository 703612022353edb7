# SPDX-License-Identifier: Apache-2.0
# The HTTP API end to end: `sertel serve` on a free loopback port, driven
# with curl, judged by openssl and the store.  Runs on SQLite and on the
# throwaway PostgreSQL (http_api.sqlite, http_api.pg).
find_program(SERTEL_BASH bash REQUIRED)

sertel_store_test(http_api ${SERTEL_BASH} ${CMAKE_CURRENT_LIST_DIR}/test_api.sh)
set_tests_properties(http_api.sqlite http_api.pg PROPERTIES TIMEOUT 300 LABELS "store;http")
