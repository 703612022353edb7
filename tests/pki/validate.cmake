# SPDX-License-Identifier: Apache-2.0
# Path validation (src/pki/validate*.c, src/pki/ocsp_check.c) and the
# verify-cert command.

# NIST PKITS, all 246 cases of testdata/pkits/pkits.json.
add_executable(test_pkits ${SERTEL_TEST_DIR}/pki/test_pkits.c)
target_link_libraries(test_pkits PRIVATE sertel_pki)
target_include_directories(test_pkits PRIVATE ${SERTEL_TEST_DIR})
add_test(NAME test_pkits COMMAND test_pkits)
# Skipped (not passed) where the shared test data is missing.
set_tests_properties(test_pkits PROPERTIES LABELS "unit" SKIP_RETURN_CODE 77
  ENVIRONMENT "SERTEL_SHARED=${SERTEL_SHARED_DIR};SERTEL_TESTDATA=${SERTEL_TESTDATA_DIR}")

# OpenSSL's OCSP test vectors, all 29 cases of openssl-ocsp.json.
add_executable(test_ocsp_vectors ${SERTEL_TEST_DIR}/pki/test_ocsp_vectors.c)
target_link_libraries(test_ocsp_vectors PRIVATE sertel_pki)
target_include_directories(test_ocsp_vectors PRIVATE ${SERTEL_TEST_DIR})
add_test(NAME test_ocsp_vectors COMMAND test_ocsp_vectors)
set_tests_properties(test_ocsp_vectors PROPERTIES LABELS "unit" SKIP_RETURN_CODE 77
  ENVIRONMENT "SERTEL_SHARED=${SERTEL_SHARED_DIR};SERTEL_TESTDATA=${SERTEL_TESTDATA_DIR}")

# Unit tests: path building with backtracking, bounds, purposes, input
# parsing.  cmd_verify_cert.c is compiled in so the binary can stand in
# for the CLI ("test_validate verify-cert ...") when the sertel dispatcher
# does not route the command.
sertel_unit_test(test_validate
  SOURCES ${SERTEL_TEST_DIR}/pki/test_validate.c
          ${CMAKE_SOURCE_DIR}/src/cli/cmd_verify_cert.c
  LIBS sertel_pki)

# The verify-cert CLI on PKITS: valid (exit 0), revoked (exit 1), missing
# file (exit 2).  Uses $SERTEL_BIN when it knows verify-cert.
add_test(NAME verify_cert_cli COMMAND test_validate --cli)
set_tests_properties(verify_cert_cli PROPERTIES LABELS "unit" SKIP_RETURN_CODE 77
  ENVIRONMENT "SERTEL_SHARED=${SERTEL_SHARED_DIR};SERTEL_TESTDATA=${SERTEL_TESTDATA_DIR};SERTEL_BIN=$<TARGET_FILE:sertel>")
