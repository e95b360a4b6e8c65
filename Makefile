# casepipe — see README.md.  `make demo` and `make check` are the two
# commands a new user runs; both install missing build dependencies first.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/casepipe
VERSION := 0.1.0

CC      ?= cc
CFLAGS  ?= -O2 -g
PKGS    := libxml-2.0 jansson zlib libzip

# SAN=1 builds everything with AddressSanitizer and UBSan into build-san/.
ifeq ($(SAN),1)
BUILD   ?= build-san
CFLAGS  += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
else ifeq ($(FUZZ),1)
# FUZZ=1 builds the library with clang for libFuzzer (ASan + UBSan) into
# build-fuzz/; `make fuzz` does this (see docs/TESTING.md).
BUILD   ?= build-fuzz
CC      := clang
CFLAGS  := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all -DCASEPIPE_FUZZING
else
BUILD   ?= build
endif

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow \
	-Ipipeline -Iident -Istages $(PKG_CFLAGS) \
	-DCASEPIPE_VERSION='"$(VERSION)"' -DCASEPIPE_DATADIR='"$(DATADIR)"' \
	$(CFLAGS)
LIBS = $(PKG_LIBS) -lm

LIB_SRC  := $(filter-out pipeline/main.c,$(wildcard pipeline/*.c stages/*.c ident/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
TEST_SRC := $(wildcard tests/unit/test_*.c)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BIN      := $(BUILD)/casepipe

.PHONY: all deps demo check unit cases suites check-san bench install uninstall clean
.PHONY: fuzz fuzz-build fuzz-deps check-valgrind check-faults

all: $(BIN) casepipe

# ./casepipe is the plain build, for the README's examples.
casepipe: $(BUILD)/casepipe
	@if [ "$(BUILD)" = build ]; then cp $< $@; fi

$(BUILD)/%.o: %.c $(wildcard pipeline/*.h stages/*.h ident/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libcasepipe.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/pipeline/main.o $(BUILD)/libcasepipe.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libcasepipe.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(BUILD)/libcasepipe.a $(LIBS) -lcmocka

deps:
	@sh scripts/deps.sh

demo: deps all
	@sh scripts/demo.sh ./casepipe

check: deps all $(TEST_BIN)
	@sh tests/run-unit.sh $(BUILD)/tests
	@bash tests/run-cases.sh $(BIN)
	@sh tests/report/run.sh $(BIN)
	@sh fuzz/replay.sh $(BIN)
	@sh tests/conservation.sh $(BIN) $(if $(filter 1,$(SAN)),5000,20000)

# The same suite under AddressSanitizer and UBSan (what .ci/run does second).
check-san:
	$(MAKE) SAN=1 check

# Fault injection (tests/faults/): every allocation and write of a few small
# chains fails in turn; each run must end cleanly.  Plain build only (an
# LD_PRELOAD shim cannot go under ASan).
build/failshim.so: tests/faults/failshim.c
	@mkdir -p build
	$(CC) -O2 -Wall -Wextra -Werror -shared -fPIC -o $@ $<

check-faults: deps all build/failshim.so
	@bash tests/faults/run.sh build/casepipe build/failshim.so

# The golden cases under valgrind (memcheck, definite leaks are errors); the
# cases listed in tests/valgrind-skip (big inputs, already run under ASan
# by check-san) are left out to keep CI short (see docs/TESTING.md).
VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
check-valgrind: deps all
	@CASEPIPE_WRAPPER="$(VALGRIND)" bash tests/run-cases.sh build/casepipe \
		$$(find tests/cases -name cmd -printf '%h\n' | sort | grep -vxF -f tests/valgrind-skip)

# libFuzzer targets (fuzz/*.c), built with clang into build-fuzz/ and run for
# FUZZ_SECONDS each: `make fuzz FUZZ_SECONDS=600`.  Exit 0 when nothing is
# found; crashing inputs are left in build-fuzz/crashes/<target>/.
FUZZ_SECONDS ?= 60
FUZZ_READERS := csv tsv ndjson xml json
FUZZ_TARGETS := $(FUZZ_READERS) gzip ident wire xlsx
FUZZ_BIN     := $(FUZZ_TARGETS:%=build-fuzz/fuzz_%)
FUZZ_FLAGS    = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Ipipeline -Iident -Istages \
	$(PKG_CFLAGS) -DFUZZ_SCHEMAS='"$(CURDIR)/schemas"' -O1 -g \
	-fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

fuzz-deps:
	@sh scripts/deps.sh clang libclang-rt-14-dev

fuzz-build: fuzz-deps
	$(MAKE) FUZZ=1 build-fuzz/libcasepipe.a
	$(MAKE) $(FUZZ_BIN)

$(FUZZ_READERS:%=build-fuzz/fuzz_%): build-fuzz/fuzz_%: fuzz/fuzz_reader.c fuzz/fuzz_common.h build-fuzz/libcasepipe.a
	clang $(FUZZ_FLAGS) -DREADER=reader_$* -o $@ $< build-fuzz/libcasepipe.a $(LIBS)

build-fuzz/fuzz_gzip build-fuzz/fuzz_ident build-fuzz/fuzz_wire build-fuzz/fuzz_xlsx: build-fuzz/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz_common.h build-fuzz/libcasepipe.a
	clang $(FUZZ_FLAGS) -o $@ $< build-fuzz/libcasepipe.a $(LIBS)

fuzz: fuzz-build
	@sh fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

bench: all
	@sh bench/run.sh ./casepipe

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)/schemas
	install -m 755 build/casepipe $(DESTDIR)$(BINDIR)/casepipe
	install -m 644 docs/casepipe.1 $(DESTDIR)$(MANDIR)/man1/casepipe.1
	install -d $(DESTDIR)$(DATADIR)/schemas/profiles
	install -m 644 schemas/*.json $(DESTDIR)$(DATADIR)/schemas/
	install -m 644 schemas/profiles/*.json $(DESTDIR)$(DATADIR)/schemas/profiles/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/casepipe $(DESTDIR)$(MANDIR)/man1/casepipe.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-san build-fuzz casepipe
