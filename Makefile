# SPDX-License-Identifier: Apache-2.0
# sertel: the two commands.
#   make demo    install missing Debian packages, build, create a demo
#                instance (SQLite, built-in CA) and start the server
#   make check   the same set-up, then every test (unit, store on SQLite
#                and PostgreSQL, interop with openssl, sanitizers)

BUILD      ?= build
ASAN_BUILD ?= build-asan
RELEASE_BUILD ?= build-release
# make check builds with warnings as errors; a user's make build does not.
WERROR     ?= OFF
DEMO_DIR   ?= demo
DEMO_ADDR  ?= 127.0.0.1:8080
JOBS       ?= 2

.PHONY: all deps deps-test build demo demo-stop check check-asan check-release fuzz bench clean

all: build

deps:
	@sh scripts/deps.sh build

deps-test:
	@sh scripts/deps.sh test

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSERTEL_WERROR=$(WERROR) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	@sh scripts/demo.sh $(BUILD)/sertel $(DEMO_DIR) $(DEMO_ADDR)

demo-stop:
	@sh scripts/demo.sh --stop $(BUILD)/sertel $(DEMO_DIR) $(DEMO_ADDR)

check: WERROR = ON
check: deps-test build
	@sh scripts/check-banned.sh
	@sh scripts/check-spdx.sh
	@SERTEL_FORMAT_STRICT=1 sh scripts/check-format.sh
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 600
	@$(MAKE) --no-print-directory check-asan WERROR=ON
	@$(MAKE) --no-print-directory check-release

# A Release build (-O3 -DNDEBUG: other warnings than -O2 -g) of everything
# under src/, warning-free (the tests are built by the two builds above).
check-release: deps
	@cmake -S . -B $(RELEASE_BUILD) -DCMAKE_BUILD_TYPE=Release -DSERTEL_WERROR=ON >/dev/null
	@cmake --build $(RELEASE_BUILD) -j $(JOBS) --target sertel
	@$(RELEASE_BUILD)/sertel --version

# The unit tests once more under AddressSanitizer + UBSan.
check-asan: deps-test
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DSERTEL_SANITIZE=ON -DSERTEL_WERROR=$(WERROR) >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
		ctest --output-on-failure -j $(JOBS) -L unit --timeout 600

# A longer PDF parser fuzzing run than make check's 25 seconds
# (FUZZ_SECONDS, default one hour); crashes land in build-fuzz/artifacts.
FUZZ_SECONDS ?= 3600
fuzz: deps-test
	@bash tests/pdf/fuzz.sh $(CURDIR) build-fuzz $(FUZZ_SECONDS)

bench: build deps-test
	@sh bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(RELEASE_BUILD)
