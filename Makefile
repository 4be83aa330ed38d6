# Vigie: make | make check | make check SANITIZE=1 | make demo | make bench | make install
VERSION   = 0.1.0
PREFIX   ?= /usr/local
SYSCONFDIR ?= $(PREFIX)/etc
BINDIR   ?= $(PREFIX)/bin
SBINDIR  ?= $(PREFIX)/sbin
MANDIR   ?= $(PREFIX)/share/man
DOCDIR   ?= $(PREFIX)/share/doc/vigie
UNITDIR  ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
DESTDIR  ?=

PKGS     = yaml-0.1 sqlite3 libcurl libsystemd jansson libcrypto cairo
CC      ?= cc
CFLAGS  ?= -O2 -g
# Asked of pkg-config the first time a recipe needs them, not when the
# Makefile is read: on a fresh machine the deps-ok prerequisite installs the
# libraries first (make demo and make check work the first time, SPEC 1).
pkg = $(if $(shell pkg-config --exists $(2) && echo ok),$(shell pkg-config $(1) $(2)),\
	$(error pkg-config cannot find $(2): run sh contrib/deps.sh as root))
PKG_CFLAGS = $(eval PKG_CFLAGS := $(call pkg,--cflags,$(PKGS)))$(PKG_CFLAGS)
PKG_LIBS   = $(eval PKG_LIBS := $(call pkg,--libs,$(PKGS)))$(PKG_LIBS)
TEST_LIBS  = $(eval TEST_LIBS := $(call pkg,--libs,criterion))$(TEST_LIBS)
XCFLAGS  = -std=gnu11 -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
	   -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes \
	   -D_GNU_SOURCE -D_FORTIFY_SOURCE=2 -fstack-protector-strong \
	   -Iinclude -DVIGIE_VERSION='"$(VERSION)"' $(PKG_CFLAGS)
XLDFLAGS = -lm

ifeq ($(SANITIZE),1)
B        = build-san
XCFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -U_FORTIFY_SOURCE
XLDFLAGS += -fsanitize=address,undefined
CFLAGS   = -O1 -g
export ASAN_OPTIONS = detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=1
export UBSAN_OPTIONS = print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS = suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
else
B        = build
endif

# The rooms of daemon/, lowest first (README.md, "Hacking"); cli/ is built
# into its own archive so that vigied links none of it.
ROOMS      := util store ingest notify
RULES_SRC  := $(sort $(wildcard rules/*.c))
DAEMON_SRC := $(sort $(foreach r,$(ROOMS),$(wildcard daemon/$(r)/*.c)) \
	      $(filter-out daemon/vigied.c,$(wildcard daemon/*.c)))
CLI_SRC    := $(sort $(filter-out daemon/cli/vigie.c,$(wildcard daemon/cli/*.c)))
# The report room (vigie report, and vigied for the scheduled report) with
# the built-in copy of etc/report.yaml.
REPORT_SRC := $(sort $(wildcard daemon/report/*.c))
LIB_OBJ    := $(RULES_SRC:%.c=$(B)/%.o) $(DAEMON_SRC:%.c=$(B)/%.o)
CLI_OBJ    := $(CLI_SRC:%.c=$(B)/%.o)
REPORT_OBJ := $(REPORT_SRC:%.c=$(B)/%.o) $(B)/gen/report_yaml.o
TEST_SRC   := $(sort $(wildcard tests/unit/*.c))
TEST_OBJ   := $(TEST_SRC:%.c=$(B)/%.o)

all: $(B)/vigied $(B)/vigie

$(B)/%.o: %.c $(wildcard include/vigie/*.h) | deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(XCFLAGS) -MMD -MP -c -o $@ $<

# A header that was removed or moved must not stop a build whose old
# dependency files still name it (-MP does the same for new ones).
include/vigie/%.h: ;

$(B)/libvigie.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/libvigie-cli.a: $(CLI_OBJ)
	@rm -f $@
	ar rcs $@ $^

# etc/report.yaml as a C array: the report's indicators when the
# configuration names no file of its own.
$(B)/gen/report_yaml.c: etc/report.yaml
	@mkdir -p $(dir $@)
	{ printf '/* Generated from etc/report.yaml by the Makefile. */\n#include <stddef.h>\n'; \
	  printf 'extern const char report_builtin_yaml[];\nextern const size_t report_builtin_yaml_len;\n'; \
	  printf 'const char report_builtin_yaml[] = {\n'; \
	  od -An -v -tx1 $< | sed 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	  printf '0 };\nconst size_t report_builtin_yaml_len = sizeof(report_builtin_yaml) - 1;\n'; } >$@.tmp
	mv $@.tmp $@

$(B)/gen/report_yaml.o: $(B)/gen/report_yaml.c | deps-ok
	$(CC) $(CFLAGS) $(XCFLAGS) -c -o $@ $<

$(B)/libvigie-report.a: $(REPORT_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/vigied: $(B)/daemon/vigied.o $(B)/libvigie-report.a $(B)/libvigie.a
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) $(XLDFLAGS) $(LDFLAGS)

$(B)/vigie: $(B)/daemon/cli/vigie.o $(B)/libvigie-cli.a $(B)/libvigie-report.a $(B)/libvigie.a
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) $(XLDFLAGS) $(LDFLAGS)

$(B)/unit-tests: $(TEST_OBJ) $(B)/libvigie-cli.a $(B)/libvigie-report.a $(B)/libvigie.a
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) $(TEST_LIBS) $(XLDFLAGS) $(LDFLAGS)

# Installs missing build and test dependencies (or says how); a no-op
# costing one dpkg-query when everything is there.
deps-ok:
	@sh contrib/deps.sh

check: all $(B)/unit-tests
	$(B)/unit-tests --jobs 2 --short-filename
	tests/rules/run.sh $(B)
	tests/integration/run.sh $(B)

# The suite under valgrind memcheck (slow; not part of make check).
memcheck: all $(B)/unit-tests
	valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	  --trace-children=yes --trace-children-skip='*python3*,*/sh,*/bash,*openssl*,*sqlite3' \
	  $(B)/unit-tests --jobs 1 --short-filename
	VIGIE_VALGRIND=1 tests/integration/run.sh $(B)

# Benchmarks at 1,000, 10,000 and 30,000 teams against sqlite3-shell
# baselines measured in the same run; writes tests/bench/REPORT.md (~10 min).
bench: all
	tests/bench/report.sh $(B)

# Detection quality of the rule library against R's surveillance package on
# synthetic companies; writes tests/bench/DETECTION.md (tests/bench/detect/).
# SEEDS=5, RULES=etc/rules.d, STRICT=1 fails on a missed target, PEER=0
# skips R. 4 to 7 minutes the first time, then seconds a seed (R's results
# are cached in $(B)/bench-detect).
bench-detect: all
	@[ "$${PEER:-1}" = 0 ] || sh tests/bench/detect/deps.sh
	/usr/bin/python3 tests/bench/detect/bench.py $(B)
.PHONY: bench-detect

# Ten minutes of vigied with files arriving, a flaky webhook and SIGHUPs.
soak: all
	tests/soak/soak.sh $(B)

demo: all
	contrib/demo/demo.sh $(B)

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	  $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(UNITDIR) \
	  $(DESTDIR)$(SYSCONFDIR)/vigie/rules.d $(DESTDIR)$(COMPLETIONDIR)
	install -m 0755 $(B)/vigied $(DESTDIR)$(SBINDIR)/vigied
	install -m 0755 $(B)/vigie $(DESTDIR)$(BINDIR)/vigie
	install -m 0644 contrib/completion/vigie.bash $(DESTDIR)$(COMPLETIONDIR)/vigie
	install -d $(DESTDIR)$(DOCDIR)
	install -m 0644 etc/report.yaml $(DESTDIR)$(DOCDIR)/report.yaml
	ln -sf vigie $(DESTDIR)$(COMPLETIONDIR)/vigied
	for m in contrib/man/*.1; do [ -f "$$m" ] && install -m 0644 $$m $(DESTDIR)$(MANDIR)/man1/ || true; done
	for m in contrib/man/*.5; do [ -f "$$m" ] && install -m 0644 $$m $(DESTDIR)$(MANDIR)/man5/ || true; done
	for m in contrib/man/*.8; do [ -f "$$m" ] && install -m 0644 $$m $(DESTDIR)$(MANDIR)/man8/ || true; done
	sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
	  contrib/systemd/vigied.service > $(DESTDIR)$(UNITDIR)/vigied.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/vigied.service
	[ -e $(DESTDIR)$(SYSCONFDIR)/vigie/vigie.yaml ] || { \
	  sed -e 's|^database: \.\./build/vigie\.db$$|database: /var/lib/vigie/vigie.db|' \
	    etc/vigie.yaml > $(DESTDIR)$(SYSCONFDIR)/vigie/vigie.yaml && \
	  chmod 0644 $(DESTDIR)$(SYSCONFDIR)/vigie/vigie.yaml; }
	for r in etc/rules.d/*.yaml; do [ -f "$$r" ] || continue; \
	  t=$(DESTDIR)$(SYSCONFDIR)/vigie/rules.d/$$(basename $$r); \
	  [ -e "$$t" ] || install -m 0644 $$r "$$t"; done

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/vigied $(DESTDIR)$(BINDIR)/vigie \
	  $(DESTDIR)$(UNITDIR)/vigied.service \
	  $(DESTDIR)$(COMPLETIONDIR)/vigie $(DESTDIR)$(COMPLETIONDIR)/vigied \
	  $(DESTDIR)$(MANDIR)/man1/vigie.1 $(DESTDIR)$(MANDIR)/man8/vigied.8 \
	  $(DESTDIR)$(MANDIR)/man5/vigie.yaml.5 $(DESTDIR)$(MANDIR)/man5/vigie-rules.5 \
	  $(DESTDIR)$(DOCDIR)/report.yaml

# Fuzzing (libFuzzer): make fuzz builds the harnesses, make fuzz-smoke runs
# each for FUZZ_SECONDS (60). Built with clang, without -Werror.
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS = -g -O1 -std=gnu11 -D_GNU_SOURCE -DVIGIE_VERSION='"$(VERSION)"' -Iinclude -Itests/fuzz $(PKG_CFLAGS) \
	      -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_OBJ   := $(RULES_SRC:%.c=build-fuzz/%.o) $(DAEMON_SRC:%.c=build-fuzz/%.o)
FUZZERS    := fuzz_csv fuzz_rules fuzz_expr fuzz_config

build-fuzz/%.o: %.c $(wildcard include/vigie/*.h)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -c -o $@ $<

build-fuzz/libvigie.a: $(FUZZ_OBJ)
	@rm -f $@
	ar rcs $@ $^

build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c build-fuzz/libvigie.a
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS) -lm

fuzz: $(FUZZERS:%=build-fuzz/%)

fuzz-smoke: fuzz
	tests/fuzz/run.sh build-fuzz $(FUZZ_SECONDS)

clean:
	rm -rf build build-san build-fuzz

.PHONY: soak memcheck all check bench demo install uninstall clean deps-ok fuzz fuzz-smoke
-include $(shell find $(B) -name '*.d' 2>/dev/null)
