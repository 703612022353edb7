# SPDX-License-Identifier: Apache-2.0
# The signing service (src/esign) and its BSrE-compatible API.
#   esign_unit: RFC 6238 test vectors, base32, permissions, statuses.
#   esign_api:  every endpoint driven with curl as BSrE's client libraries
#               do, judged by pdfsig/qpdf/sertel verify, on SQLite and on
#               the throwaway PostgreSQL.
sertel_unit_test(esign_unit SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_esign_unit.c
  LIBS sertel_esign)
find_program(SERTEL_BASH_ESIGN bash REQUIRED)
sertel_store_test(esign_api ${SERTEL_BASH_ESIGN} ${CMAKE_CURRENT_LIST_DIR}/test_esign_api.sh)
set_tests_properties(esign_api.sqlite esign_api.pg PROPERTIES TIMEOUT 900 LABELS "store;http")
