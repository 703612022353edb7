# SPDX-License-Identifier: Apache-2.0
# Issue 19, authentication: tokens, client secrets, throttling and the
# passphrase lock (tests/security/test_auth_*.sh), on SQLite and on the
# throwaway PostgreSQL.
find_program(SERTEL_BASH_AUTH bash REQUIRED)
sertel_store_test(security_auth_lock ${SERTEL_BASH_AUTH} ${CMAKE_CURRENT_LIST_DIR}/test_auth_lock.sh)
set_tests_properties(security_auth_lock.sqlite security_auth_lock.pg PROPERTIES TIMEOUT 600 LABELS "store;http;security")
sertel_store_test(security_auth_tokens ${SERTEL_BASH_AUTH} ${CMAKE_CURRENT_LIST_DIR}/test_auth_tokens.sh)
set_tests_properties(security_auth_tokens.sqlite security_auth_tokens.pg PROPERTIES TIMEOUT 300 LABELS "store;http;security")
sertel_store_unit_test(security_auth_store SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_auth_store.c LIBS sertel_store)
