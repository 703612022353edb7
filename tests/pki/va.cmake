# SPDX-License-Identifier: Apache-2.0
# The validation-authority engines (src/pki/ocsp.c, src/pki/tsa.c).
# Each binary runs its unit tests, or with the argument "interop" its
# checks against the openssl command line; the interop runs exit 77 when
# openssl is missing, which ctest reports as skipped, not passed.
sertel_unit_test(test_ocsp SOURCES ${SERTEL_TEST_DIR}/pki/test_ocsp.c LIBS sertel_pki)
sertel_unit_test(test_tsa SOURCES ${SERTEL_TEST_DIR}/pki/test_tsa.c LIBS sertel_pki)

foreach(t test_ocsp test_tsa)
  add_test(NAME ${t}_interop COMMAND ${t} interop)
  set_tests_properties(${t}_interop PROPERTIES LABELS "interop" SKIP_RETURN_CODE 77)
endforeach()
