# SPDX-License-Identifier: Apache-2.0
sertel_store_unit_test(test_audit SOURCES ${SERTEL_TEST_DIR}/audit/test_audit.c LIBS sertel_audit)
