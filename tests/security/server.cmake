# SPDX-License-Identifier: Apache-2.0
# Issue 19, the HTTP server under attack: connection slots and handshake
# deadlines (point 1), route-class worker pools (point 2), TLS settings
# (point 3).  Real servers on 127.0.0.x, real openssl s_client; the store
# engine does not matter to them, so they run on SQLite only.
find_program(SERTEL_BASH bash REQUIRED)

foreach(t conns pools tls)
  add_test(NAME security_server_${t}
    COMMAND ${SERTEL_BASH} ${CMAKE_CURRENT_LIST_DIR}/test_server_${t}.sh)
  set_tests_properties(security_server_${t} PROPERTIES TIMEOUT 180
    LABELS "security;http"
    ENVIRONMENT "SERTEL_TEST_DB=sqlite;SERTEL_SHARED=${SERTEL_SHARED_DIR};SERTEL_BIN=$<TARGET_FILE:sertel>;SERTEL_BUILD=${CMAKE_BINARY_DIR}")
endforeach()
# The burst tests hold ~1,100 sockets and a flood of workers: never two at once.
set_tests_properties(security_server_conns security_server_pools PROPERTIES
  RESOURCE_LOCK sertel_server_flood)
