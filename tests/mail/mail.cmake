# SPDX-License-Identifier: Apache-2.0
# The mail queue and its SMTP delivery against a real aiosmtpd on loopback
# (python3-aiosmtpd), started and killed by the test itself; runs on SQLite
# and on the throwaway PostgreSQL (test_mail.sqlite, test_mail.pg).
sertel_store_unit_test(test_mail SOURCES ${SERTEL_TEST_DIR}/mail/test_mail.c LIBS sertel_mail)
set_tests_properties(test_mail.sqlite test_mail.pg PROPERTIES TIMEOUT 300)
set_property(TEST test_mail.sqlite APPEND PROPERTY LABELS "interop")
set_property(TEST test_mail.pg APPEND PROPERTY LABELS "interop")
