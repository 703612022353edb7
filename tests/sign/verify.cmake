# SPDX-License-Identifier: Apache-2.0
# The verifier (sertel verify): PDFs signed by podofosign, pdfsig and
# sertel, attack files made from them (tests/sign/attacks/mkattack.py),
# revocation before/after the signing time, detached CAdES; verdicts
# compared with pdfsig.
find_program(SERTEL_BASH bash REQUIRED)
add_test(NAME sign_verify COMMAND ${SERTEL_BASH} ${CMAKE_CURRENT_LIST_DIR}/test_verify.sh)
set_tests_properties(sign_verify PROPERTIES LABELS "interop;sign" TIMEOUT 300
  ENVIRONMENT "SERTEL_BIN=$<TARGET_FILE:sertel>;SERTEL_TEST_DB=sqlite")

# Hostile signature dictionaries, looping form fields, non-CMS detached
# signatures, report rendering (cmocka; label unit, so also under ASan).
sertel_unit_test(test_verify SOURCES ${SERTEL_TEST_DIR}/sign/test_verify.c LIBS sertel_sign)
