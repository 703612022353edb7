# Issue 19, points 2 and 4: the public verifier's SSRF (no fetch of URLs
# an uploader chose; allow-list and address checks at connect time; a
# budget per verification) and decompression bombs (per-route decoding
# limits, a pool shared by concurrent requests, bounded server memory).
find_program(SERTEL_BASH bash REQUIRED)
sertel_store_test(security_verifier_ssrf ${SERTEL_BASH}
  ${CMAKE_CURRENT_LIST_DIR}/test_verifier_ssrf.sh)
set_tests_properties(security_verifier_ssrf.sqlite security_verifier_ssrf.pg
  PROPERTIES TIMEOUT 300)
