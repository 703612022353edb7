# SPDX-License-Identifier: Apache-2.0
sertel_unit_test(test_profile SOURCES ${SERTEL_TEST_DIR}/pki/test_profile.c LIBS sertel_pki)
sertel_store_unit_test(test_ca SOURCES ${SERTEL_TEST_DIR}/pki/test_ca.c LIBS sertel_pki)
