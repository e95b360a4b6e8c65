# casepipe — see README.md.  `make demo` and `make check` are the two
# commands a new user runs; both install missing build dependencies first.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/casepipe
VERSION := 0.1.0

CC      ?= cc
CFLAGS  ?= -O2 -g
PKGS    := libxml-2.0 jansson zlib

# SAN=1 builds everything with AddressSanitizer and UBSan into build-san/.
ifeq ($(SAN),1)
BUILD   ?= build-san
CFLAGS  += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
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
	@sh scripts/deps.sh build

demo: deps all
	@sh scripts/demo.sh ./casepipe

check: deps all $(TEST_BIN)
	@sh tests/run-unit.sh $(BUILD)/tests
	@bash tests/run-cases.sh $(BIN)
	@sh tests/report/run.sh $(BIN)

# The same suite under AddressSanitizer and UBSan (what .ci/run does second).
check-san:
	$(MAKE) SAN=1 check

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
	rm -rf build build-san casepipe
