# SPDX-License-Identifier: Apache-2.0
# Issue 19, points 2 and 4: the public verifier's SSRF (no fetch of URLs
# an uploader chose; allow-list and address checks at connect time; a
# budget per verification) and decompression bombs (per-route decoding
# limits, a pool shared by concurrent requests, bounded server memory).
find_program(SERTEL_BASH bash REQUIRED)
sertel_store_test(security_verifier_ssrf ${SERTEL_BASH}
  ${CMAKE_CURRENT_LIST_DIR}/test_verifier_ssrf.sh)
set_tests_properties(security_verifier_ssrf.sqlite security_verifier_ssrf.pg
  PROPERTIES TIMEOUT 300)

# The HTTP client's address and allow-list checks (cmocka; label unit).
sertel_unit_test(test_net_guard SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_net_guard.c
  LIBS sertel_net)

# Decoding budgets and shared pools of the PDF parser (cmocka; label unit).
sertel_unit_test(test_decode_budget SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_decode_budget.c
  LIBS sertel_pdf)

# The public verifier under decompression bombs (422, 503, peak memory).
sertel_store_test(security_verifier_bomb ${SERTEL_BASH}
  ${CMAKE_CURRENT_LIST_DIR}/test_verifier_bomb.sh)
set_tests_properties(security_verifier_bomb.sqlite security_verifier_bomb.pg
  PROPERTIES TIMEOUT 300)
