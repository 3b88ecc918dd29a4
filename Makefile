# drsim - build, test, demo, benchmark and fuzz.
#
#   make              build ./drsim (developer build: warnings are errors)
#   make demo         install deps, build, run the tour (scripts/demo.sh)
#   make check        install deps, build, run every test (tests/run.sh)
#   make SANITIZE=address,undefined check   the same under ASan/UBSan
#   make bench        benchmarks: print figures, assert nothing
#   make fuzz         libFuzzer on the scenario loader for FUZZ_SECONDS
#   make V=1          show compiler command lines
#
# Every library is found with pkg-config.

PKGS     := yaml-0.1 gsl libcurl openssl jansson libxml-2.0 libpq
CC       ?= cc
SANITIZE ?=
WERROR   ?= 1
OPT      ?= -O2

ifeq ($(SANITIZE),)
BUILD    := build
SANFLAGS :=
else
BUILD    := build-san
SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
ifeq ($(WERROR),1)
WARN     += -Werror
endif
CFLAGS   ?= $(OPT) -g
ALL_CFLAGS := -std=gnu11 $(CFLAGS) $(WARN) $(SANFLAGS) -pthread -Isim -Idrivers -Ireports $(PKG_CFLAGS) -MMD -MP
LDLIBS   := $(PKG_LIBS) -lm -pthread

LIB_SRC  := $(filter-out sim/main.c,$(wildcard sim/*.c drivers/*.c reports/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
TEST_SRC := $(wildcard tests/unit/test_*.c)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_SRC:= $(wildcard bench/bench_*.c)
BENCH_BIN:= $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

ifeq ($(SANITIZE),)
DRSIM    := drsim
else
DRSIM    := $(BUILD)/drsim
endif

ifeq ($(V),1)
Q :=
else
Q := @
endif

.PHONY: all deps check demo bench fuzz clean tests install

all: $(DRSIM)

deps:
	@./scripts/deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libdrsim.a: $(LIB_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(DRSIM): $(BUILD)/sim/main.o $(BUILD)/libdrsim.a
	@echo "  LINK    $@"
	$(Q)$(CC) $(SANFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libdrsim.a tests/unit/testutil.h
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	$(Q)$(CC) $(ALL_CFLAGS) -Itests/unit $< -o $@ $(BUILD)/libdrsim.a $(LDLIBS) $(shell pkg-config --libs cmocka)

$(BUILD)/bench/%: bench/%.c $(BUILD)/libdrsim.a
	@mkdir -p $(dir $@)
	@echo "  BENCH   $@"
	$(Q)$(CC) $(ALL_CFLAGS) $< -o $@ $(BUILD)/libdrsim.a $(LDLIBS)

tests: $(DRSIM) $(TEST_BIN)

check: deps
	@$(MAKE) --no-print-directory tests
	@DRSIM=$(abspath $(DRSIM)) BUILD=$(abspath $(BUILD)) ./tests/run.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@./scripts/demo.sh

bench: deps
	@$(MAKE) --no-print-directory all $(BENCH_BIN)
	@BUILD=$(abspath $(BUILD)) DRSIM=$(abspath $(DRSIM)) ./bench/run.sh

FUZZ_SECONDS ?= 60
fuzz: deps
	@mkdir -p build-fuzz
	clang -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -Isim -Idrivers -Ireports $(PKG_CFLAGS) \
	  -o build-fuzz/fuzz_load tests/fuzz/fuzz_load.c $(LIB_SRC) $(LDLIBS)
	@rm -rf build-fuzz/corpus && mkdir -p build-fuzz/corpus
	@cp scenarios/*.yaml tests/bad/*.yaml build-fuzz/corpus/ 2>/dev/null || true
	build-fuzz/fuzz_load -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
	  -rss_limit_mb=2048 build-fuzz/corpus

clean:
	rm -rf build build-san build-fuzz drsim

-include $(LIB_OBJ:.o=.d) $(BUILD)/sim/main.d
