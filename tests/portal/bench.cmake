# SPDX-License-Identifier: Apache-2.0
# bench/portal: the tool that makes its data (through src/ra and
# src/portal, no SQL of its own), and a smoke run of the benchmark
# (200 applications, 5 sessions, 3 s of wrk per page, every answer 2xx)
# so it cannot rot.  `make check` does not run the benchmark itself.
add_executable(portal-bench-seed ${CMAKE_SOURCE_DIR}/bench/portal/seed.c)
target_link_libraries(portal-bench-seed PRIVATE sertel_portal sertel_ra)

find_program(SERTEL_SH_BENCH sh REQUIRED)
add_test(NAME portal_bench_smoke
  COMMAND ${SERTEL_SH_BENCH} ${CMAKE_SOURCE_DIR}/bench/portal/run.sh ${CMAKE_BINARY_DIR}/bench-smoke)
set_tests_properties(portal_bench_smoke PROPERTIES TIMEOUT 60 LABELS "bench-smoke"
  ENVIRONMENT "SERTEL=$<TARGET_FILE:sertel>;PORTAL_SEED=$<TARGET_FILE:portal-bench-seed>;APPS=200;SESSIONS=5;DURATION=3;WARMUP=1;BENCH_PG=0;BENCH_BASELINE=0;BENCH_SMOKE=1")
