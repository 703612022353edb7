# SPDX-License-Identifier: Apache-2.0
sertel_unit_test(test_core SOURCES ${SERTEL_TEST_DIR}/core/test_core.c LIBS sertel_core)
