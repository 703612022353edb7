# SPDX-License-Identifier: Apache-2.0
# Issue 11 (verdict): B-T by default, one verdict and its reasons on every
# surface (sertel verify, /v/{id}, /verifikasi, v1/v2 verify), public pages
# without NIK, with a masked NIP, the Pemda's name and logo, screenshots.
sertel_store_test(esign_verdict ${SERTEL_BASH_ESIGN} ${CMAKE_CURRENT_LIST_DIR}/test_verdict.sh)
set_tests_properties(esign_verdict.sqlite esign_verdict.pg PROPERTIES TIMEOUT 600 LABELS "store;http")
