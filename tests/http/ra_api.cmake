# SPDX-License-Identifier: Apache-2.0
# The Registration Authority over the HTTP API: every operation with every
# role (allowed and denied), bad input that changes nothing, and a full
# flow that ends with a certificate openssl verifies.  Runs on SQLite and
# on the throwaway PostgreSQL (http_ra_api.sqlite, http_ra_api.pg).
find_program(SERTEL_BASH_RA_API bash REQUIRED)

sertel_store_test(http_ra_api ${SERTEL_BASH_RA_API} ${CMAKE_CURRENT_LIST_DIR}/test_ra_api.sh)
set_tests_properties(http_ra_api.sqlite http_ra_api.pg PROPERTIES TIMEOUT 600 LABELS "store;http")
