# SPDX-License-Identifier: Apache-2.0
# Issue 12: BSrE's e-mailed codes (sign/get/totp, a code instead of the
# passphrase, single use, expiry, the lock), the seal's activation and
# codes, and registration requests into the RA's queue; aiosmtpd on
# loopback receives the mail, on SQLite and on the throwaway PostgreSQL.
find_program(SERTEL_BASH_OTP bash REQUIRED)
sertel_store_test(esign_otp ${SERTEL_BASH_OTP} ${CMAKE_CURRENT_LIST_DIR}/test_esign_otp.sh)
set_tests_properties(esign_otp.sqlite esign_otp.pg PROPERTIES TIMEOUT 600 LABELS "store;http;mail")
