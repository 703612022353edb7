# SPDX-License-Identifier: Apache-2.0
sertel_store_unit_test(test_store SOURCES ${SERTEL_TEST_DIR}/store/test_store.c LIBS sertel_store)
