# dvc: the terminal client for Vietnam's online public services, its
# reference back end and the phone simulator.  See README.md.

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
DATADIR	?= $(PREFIX)/share/dvc
DESTDIR	?=

B	?= build
CC	?= cc
CFLAGS	?= -O2 -g
WARN	:= -Wall -Wextra -Wformat=2 -Wshadow -Wmissing-prototypes
ifeq ($(CI),true)
WARN	+= -Werror
endif

PKGS	:= ncursesw formw menuw libcurl libcjson sqlite3 libqrencode \
	   libmicrohttpd openssl zlib libpng cairo pangocairo
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
VERSION	:= 0.1.0

CPPFLAGS += -D_GNU_SOURCE -DOPENSSL_API_COMPAT=30000 \
	    -DDVC_VERSION='"$(VERSION)"' -DDVC_DATADIR='"$(DATADIR)"' \
	    -MMD -MP $(PKG_CFLAGS)
ALL_CFLAGS = $(WARN) $(CFLAGS) $(SAN)
LIBS	:= $(PKG_LIBS) -lunistring -ljpeg -lpthread -lm
# libpq (libpq-dev) for the portal's PostgreSQL engine: dvc-server, and
# the tests and benchmarks that link the server's layer; never dvc.
PQ_CFLAGS := $(shell pkg-config --cflags libpq 2>/dev/null)
PQ_LIBS	:= $(shell pkg-config --libs libpq 2>/dev/null)

# The layers (docs/architecture.md).  Each is a static library, and each
# folder sees only the headers of the layers below it, so that code which
# reaches across (a client file calling the server) fails to build:
#   base    src/*.c          what two or more programs share
#   pdf     src/pdf/         the declaration as PDF, PAdES and CAdES
#   server  src/server/      dvc-server's roles (uses pdf and base)
#   client  src/client/      dvc's model: requests, flows, store (base)
#   phone   src/phone/       dvc-phone (base)
#   ui      ui/              the curses screens (client, plain, base)
#   plain   plain/           the line mode (client, base)
BASE_SRC   := $(wildcard src/*.c)
PDF_SRC	   := $(wildcard src/pdf/*.c)
SERVER_SRC := $(filter-out src/server/main.c, \
	      $(wildcard src/server/*.c src/server/*/*.c))
CLIENT_SRC := $(wildcard src/client/*.c)
PHONE_SRC  := $(filter-out src/phone/main.c, $(wildcard src/phone/*.c))
UI_SRC	   := $(filter-out ui/main.c, $(wildcard ui/*.c))
PLAIN_SRC  := $(wildcard plain/*.c)
TLIB_SRC := $(wildcard tests/lib/*.c)
TEST_SRC := $(wildcard tests/unit/test_*.c tests/integration/test_*.c \
	    tests/tui/test_*.c tests/plain/test_*.c)
BENCH_SRC := $(wildcard bench/bench_*.c)

# make V=1 shows the whole commands.
ifeq ($(V),1)
Q	:=
say	= @true
else
Q	:= @
say	= @printf '  %-6s %s\n' $(1) $(2)
endif

obj	= $(patsubst %.c,$(B)/obj/%.o,$(1))
BASELIB	:= $(B)/libdvcbase.a
PDFLIB	:= $(B)/libdvcpdf.a
SRVLIB	:= $(B)/libdvcserver.a
CLILIB	:= $(B)/libdvcclient.a
PHONELIB := $(B)/libdvcphone.a
UILIB	:= $(B)/libdvcui.a
PLAINLIB := $(B)/libdvcplain.a
TLIB	:= $(B)/libdvctest.a
# What each program links, the layer above first.
DVC_LIBS    := $(UILIB) $(PLAINLIB) $(CLILIB) $(BASELIB)
SERVER_LIBS := $(SRVLIB) $(PDFLIB) $(BASELIB)
PHONE_LIBS  := $(PHONELIB) $(BASELIB)
ALL_LIBS    := $(TLIB) $(UILIB) $(PLAINLIB) $(CLILIB) $(PHONELIB) $(SRVLIB) \
	       $(PDFLIB) $(BASELIB)
PROGS	:= $(B)/dvc $(B)/dvc-server $(B)/dvc-phone
TESTS	:= $(patsubst %.c,$(B)/%,$(TEST_SRC))
BENCHES	:= $(patsubst %.c,$(B)/%,$(BENCH_SRC))

# Each folder's include path: its own layer and those it may use.
INC_ALL := -Isrc -Isrc/pdf -Isrc/server -Iui -Iplain -Itests/lib
$(B)/obj/src/%.o:	 INC := -Isrc
$(B)/obj/src/pdf/%.o:	 INC := -Isrc -Isrc/pdf
$(B)/obj/src/server/%.o: INC := -Isrc -Isrc/pdf -Isrc/server $(PQ_CFLAGS)
$(B)/obj/src/client/%.o: INC := -Isrc
$(B)/obj/src/phone/%.o:	 INC := -Isrc
$(B)/obj/ui/%.o:	 INC := -Isrc -Iui -Iplain
$(B)/obj/plain/%.o:	 INC := -Isrc -Iplain
$(B)/obj/tests/%.o:	 INC := $(INC_ALL) $(PQ_CFLAGS)
$(B)/obj/bench/%.o:	 INC := $(INC_ALL) $(PQ_CFLAGS)

# Objects stay after a link, and an object missing is made again (a new
# source file gets into its library).
.PRECIOUS: $(B)/obj/%.o build-fuzz/fuzz/%

.PHONY: all deps check lint test tests examples asan run bench fuzz \
	fuzz-seed install uninstall clean

all: $(PROGS)

deps:
	@tools/deps

$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(call say,CC,$<)
	$(Q)$(CC) $(CPPFLAGS) $(INC) $(ALL_CFLAGS) -c -o $@ $<

$(BASELIB): $(call obj,$(BASE_SRC))
$(PDFLIB): $(call obj,$(PDF_SRC))
$(SRVLIB): $(call obj,$(SERVER_SRC))
$(CLILIB): $(call obj,$(CLIENT_SRC))
$(PHONELIB): $(call obj,$(PHONE_SRC))
$(UILIB): $(call obj,$(UI_SRC))
$(PLAINLIB): $(call obj,$(PLAIN_SRC))
$(TLIB): $(call obj,$(TLIB_SRC))
$(B)/libdvc%.a:
	@rm -f $@
	$(call say,AR,$@)
	$(Q)$(AR) rcs $@ $^

$(B)/dvc: $(call obj,ui/main.c) $(DVC_LIBS)
	$(call say,LINK,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)
$(B)/dvc-server: $(call obj,src/server/main.c) $(SERVER_LIBS)
	$(call say,LINK,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS) $(PQ_LIBS)
$(B)/dvc-phone: $(call obj,src/phone/main.c) $(PHONE_LIBS)
	$(call say,LINK,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)

$(B)/tests/%: $(call obj,tests/%.c) $(call obj,tests/lib/filter.c) \
	    $(ALL_LIBS)
	@mkdir -p $(@D)
	$(call say,LINK,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS) $(PQ_LIBS) -lcmocka -lvterm \
	    -lutil
$(B)/bench/%: $(call obj,bench/%.c) $(ALL_LIBS)
	@mkdir -p $(@D)
	$(call say,LINK,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS) $(PQ_LIBS) -lcmocka -lvterm \
	    -lutil

# The benchmarks are built with the tests, so that none falls behind the
# code it measures; make bench runs them.
tests: $(PROGS) $(TESTS) $(BENCHES)

# The tree's rules that a compiler does not check (tools/checksrc).
check: deps
	@$(MAKE) --no-print-directory $(ALL_LIBS)
	@B=$(B) tools/checksrc

# The API document through tools/check-openapi, then an OpenAPI 3.1
# linter, @redocly/cli from npm through npx (Node.js; the package is
# fetched the first time), with the rules of docs/api/redocly.yaml.  Not
# part of make test, which needs no network.
REDOCLY	?= npx --yes @redocly/cli@2.77.0
lint: $(B)/dvc-server
	@$(B)/dvc-server routes >$(B)/routes.txt
	@tools/check-openapi --routes $(B)/routes.txt docs/api/openapi.yaml
	@$(REDOCLY) lint --config docs/api/redocly.yaml \
	    --format=stylish docs/api/openapi.yaml

# Every layer, one closing line "N passed, N failed".
test: deps
	@$(MAKE) --no-print-directory tests
	@tools/run-tests $(B)

# The line mode's tests, writing their transcripts to docs/examples/
# instead of comparing them with those there.
examples: deps
	@$(MAKE) --no-print-directory tests
	@DVC_WRITE_EXAMPLES=1 tools/run-tests $(B) plain

# The unit and integration tests under AddressSanitizer and
# UndefinedBehaviorSanitizer; reports go to build-asan/asan.log.*
asan: deps
	@$(MAKE) --no-print-directory B=build-asan CFLAGS='-O1 -g' \
	    SAN='-fsanitize=address,undefined -fno-omit-frame-pointer' tests
	@DVC_ASAN=1 tools/run-tests build-asan

run: deps
	@$(MAKE) --no-print-directory all
	@tools/run-local $(B)

bench: deps
	@$(MAKE) --no-print-directory $(PROGS) $(BENCHES)
	@tools/run-bench $(B)

# Fuzz each target in tests/fuzz with libFuzzer (clang) for FUZZ_SECONDS
# of CPU time (FUZZ_SECONDS_fuzz_NAME for one of them), at the lowest
# priority, FUZZ_TARGETS (all by default); make -j2 fuzz runs two at a
# time.  Each starts from its seeds, tests/fuzz/corpus/NAME, and keeps
# what it finds in build-fuzz/corpus/NAME; its log is build-fuzz/NAME.log
# (tools/fuzz-run).  make fuzz-seed gathers the seeds from the tests.
FUZZ_SECONDS ?= 30
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_TARGETS ?= $(basename $(notdir $(FUZZ_SRC)))
FUZZ_LIB_SRC := $(filter-out $(FUZZ_SRC), $(wildcard tests/fuzz/*.c))
FUZZ_LIBS := $(subst $(B)/,build-fuzz/,$(ALL_LIBS))
fuzz: deps
	@$(MAKE) --no-print-directory B=build-fuzz CC=clang CFLAGS='-O1 -g' \
	    SAN='-fsanitize=fuzzer-no-link,address,undefined' $(FUZZ_LIBS)
	@$(MAKE) --no-print-directory $(addprefix build-fuzz/fuzz/,$(FUZZ_TARGETS)) \
	    $(addprefix fuzz-run-,$(FUZZ_TARGETS))

build-fuzz/fuzz/%: tests/fuzz/%.c $(FUZZ_LIB_SRC) $(wildcard tests/fuzz/*.h) \
	    $(FUZZ_LIBS)
	@mkdir -p $(@D)
	$(call say,LINK,$@)
	$(Q)clang -O1 -g -fsanitize=fuzzer,address,undefined $(CPPFLAGS) \
	    $(INC_ALL) -Itests/fuzz -o $@ $< $(FUZZ_LIB_SRC) \
	    $(FUZZ_LIBS) $(LIBS)

fuzz-run-%: build-fuzz/fuzz/%
	@echo "fuzz $* for $(or $(FUZZ_SECONDS_$*),$(FUZZ_SECONDS)) s of CPU"
	@tools/fuzz-run $* $(or $(FUZZ_SECONDS_$*),$(FUZZ_SECONDS))
	@tools/fuzz-report build-fuzz/$*.log

fuzz-seed: deps
	@$(MAKE) --no-print-directory tests
	@tools/fuzz-seed $(B)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)
	install -m 755 $(PROGS) $(DESTDIR)$(BINDIR)
	install -m 644 docs/man/*.1 $(DESTDIR)$(MANDIR)/man1
	cp -R data/. $(DESTDIR)$(DATADIR)

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/dvc $(DESTDIR)$(BINDIR)/dvc-server \
	    $(DESTDIR)$(BINDIR)/dvc-phone
	rm -f $(DESTDIR)$(MANDIR)/man1/dvc.1 \
	    $(DESTDIR)$(MANDIR)/man1/dvc-server.1 \
	    $(DESTDIR)$(MANDIR)/man1/dvc-phone.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(B) -name '*.d' 2>/dev/null)
