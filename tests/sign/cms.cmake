# SPDX-License-Identifier: Apache-2.0
# CAdES (sign cms), S/MIME (smime sign|verify|encrypt|decrypt) and document
# protection (protect encrypt|decrypt) judged by openssl cms/ts and gpgsm;
# runs on SQLite and on the throwaway PostgreSQL (sign_cms.sqlite, sign_cms.pg).
find_program(SERTEL_BASH bash REQUIRED)

sertel_store_test(sign_cms ${SERTEL_BASH} ${CMAKE_CURRENT_LIST_DIR}/test_cms.sh)
set_tests_properties(sign_cms.sqlite sign_cms.pg PROPERTIES TIMEOUT 300 LABELS "store;interop")

# The primitives themselves on certificates made in the test, judged by
# OpenSSL's CMS_verify/CMS_decrypt (test_cms_unit).
sertel_unit_test(test_cms_unit SOURCES ${SERTEL_TEST_DIR}/sign/test_cms.c LIBS sertel_sign)
