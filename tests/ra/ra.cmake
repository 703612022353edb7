# SPDX-License-Identifier: Apache-2.0
# Registration Authority: identity rules (unit) and the CLI workflow on
# both engines.
sertel_unit_test(test_identity SOURCES ${SERTEL_TEST_DIR}/ra/test_identity.c LIBS sertel_ra)
find_program(SERTEL_BASH_RA bash REQUIRED)
sertel_store_test(ra_workflow ${SERTEL_BASH_RA} ${CMAKE_CURRENT_LIST_DIR}/test_ra_workflow.sh)
set_tests_properties(ra_workflow.sqlite ra_workflow.pg PROPERTIES TIMEOUT 300 LABELS "store;interop")
sertel_store_test(ra_mail ${SERTEL_BASH_RA} ${CMAKE_CURRENT_LIST_DIR}/test_ra_mail.sh)
set_tests_properties(ra_mail.sqlite ra_mail.pg PROPERTIES TIMEOUT 300 LABELS "store;interop")
# The issuer connector: an RA-only instance issuing and revoking through an
# upstream sertel instance (PSrE) over HTTPS, both on loopback.
sertel_store_test(ra_upstream ${SERTEL_BASH_RA} ${CMAKE_CURRENT_LIST_DIR}/test_ra_upstream.sh)
set_tests_properties(ra_upstream.sqlite ra_upstream.pg PROPERTIES TIMEOUT 300 LABELS "store;interop")
# End to end, per type: apply, return, resubmit, approve, issue (CSR and
# generated key), receipt, renewal, loss report, re-application; openssl,
# a loopback SMTP server and the audit trail as judges.
sertel_store_test(ra_e2e ${SERTEL_BASH_RA} ${CMAKE_CURRENT_LIST_DIR}/test_ra_e2e.sh)
set_tests_properties(ra_e2e.sqlite ra_e2e.pg PROPERTIES TIMEOUT 300 LABELS "store;interop")
# The RA's policy read once and applied alike by the CLI, the API and the
# e-sign service ([passphrase] min_length as the example).
sertel_store_test(ra_policy ${SERTEL_BASH_RA} ${CMAKE_CURRENT_LIST_DIR}/test_ra_policy.sh)
set_tests_properties(ra_policy.sqlite ra_policy.pg PROPERTIES TIMEOUT 300 LABELS "store;interop")
