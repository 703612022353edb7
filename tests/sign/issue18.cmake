# SPDX-License-Identifier: Apache-2.0
# Issue 18: the verifier agrees with the reference validators.  Test
# files are made by the tests themselves (mkattack.py, sertel, openssl,
# qpdf, python3).
find_program(SERTEL_BASH bash REQUIRED)
add_test(NAME sign_verify_18_pdf COMMAND ${SERTEL_BASH} ${CMAKE_CURRENT_LIST_DIR}/test_verify_18_pdf.sh)
set_tests_properties(sign_verify_18_pdf PROPERTIES LABELS "interop;sign" TIMEOUT 300
  ENVIRONMENT "SERTEL_BIN=$<TARGET_FILE:sertel>;SERTEL_TEST_DB=sqlite")
add_test(NAME sign_verify_18_cms COMMAND ${SERTEL_BASH} ${CMAKE_CURRENT_LIST_DIR}/test_verify_18_cms.sh)
set_tests_properties(sign_verify_18_cms PROPERTIES LABELS "interop;sign" TIMEOUT 300
  ENVIRONMENT "SERTEL_BIN=$<TARGET_FILE:sertel>;SERTEL_TEST_DB=sqlite")
add_test(NAME sign_verify_18_legit COMMAND ${SERTEL_BASH} ${CMAKE_CURRENT_LIST_DIR}/test_verify_18_legit.sh)
set_tests_properties(sign_verify_18_legit PROPERTIES LABELS "interop;sign" TIMEOUT 300
  ENVIRONMENT "SERTEL_BIN=$<TARGET_FILE:sertel>;SERTEL_TEST_DB=sqlite")
add_test(NAME sign_verify_18_host COMMAND ${SERTEL_BASH} ${CMAKE_CURRENT_LIST_DIR}/test_verify_18_host.sh)
set_tests_properties(sign_verify_18_host PROPERTIES LABELS "interop;sign;pki" TIMEOUT 120
  ENVIRONMENT "SERTEL_BIN=$<TARGET_FILE:sertel>;SERTEL_TEST_DB=sqlite")
add_test(NAME sign_verify_18_profile COMMAND ${SERTEL_BASH} ${CMAKE_CURRENT_LIST_DIR}/test_verify_18_profile.sh)
set_tests_properties(sign_verify_18_profile PROPERTIES LABELS "interop;sign;pki" TIMEOUT 120
  ENVIRONMENT "SERTEL_BIN=$<TARGET_FILE:sertel>;SERTEL_TEST_DB=sqlite")
