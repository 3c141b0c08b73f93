# libtext: plain GNU Makefile. See README.md.
VERSION   := 0.8.0
ABI       := 3
PREFIX    ?= /usr/local
DESTDIR   ?=
LIBDIR    ?= $(PREFIX)/lib
INCDIR    ?= $(PREFIX)/include
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
PKGCONFIG ?= pkg-config
PYTHON    ?= /usr/bin/python3

DEPS          := openblas hdf5 libutf8proc jansson icu-uc libxml-2.0
DEPS_CFLAGS   =  $(shell $(PKGCONFIG) --cflags $(DEPS) 2>/dev/null)
DEPS_LIBS     =  $(shell $(PKGCONFIG) --libs $(DEPS) 2>/dev/null)
STEMMER_LIBS  ?= -lstemmer
CSV_LIBS      ?= -lcsv
# OpenMPI for the tools (libtext itself does not link it): on when
# pkg-config finds it, unless MPI=0.
MPI           ?= $(shell $(PKGCONFIG) --exists ompi-c 2>/dev/null && echo 1 || echo 0)
ifeq ($(MPI),1)
MPI_CFLAGS    =  -DTX_WITH_MPI $(shell $(PKGCONFIG) --cflags ompi-c 2>/dev/null)
MPI_LIBS      =  $(shell $(PKGCONFIG) --libs ompi-c 2>/dev/null)
endif
CHECK_CFLAGS  =  $(shell $(PKGCONFIG) --cflags check 2>/dev/null)
CHECK_LIBS    =  $(shell $(PKGCONFIG) --libs check 2>/dev/null)

CFLAGS   ?= -O2 -g
WARN     := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wconversion \
            -Wstrict-prototypes -Wno-sign-conversion -Wformat=2
ifdef WERROR
WARN     += -Werror
endif
ifdef SANITIZE
CFLAGS   := -O1 -g
SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif
ALL_CFLAGS  =  $(WARN) -D_DEFAULT_SOURCE -D_GNU_SOURCE -pthread -MMD -MP \
               -Ilibtext/include -Ilibtext/src -Ilibtext/src/core $(DEPS_CFLAGS) $(CFLAGS) $(SANFLAGS)
LIB_CFLAGS  =  $(ALL_CFLAGS) -fPIC -fvisibility=hidden -DTX_BUILDING
LIBS        =  $(DEPS_LIBS) $(STEMMER_LIBS) $(CSV_LIBS) -lm -pthread
LDFLAGS_ALL := $(LDFLAGS) $(SANFLAGS)

B ?= build
LIB_SRC  := $(wildcard libtext/src/*/*.c)
LIB_OBJ  := $(LIB_SRC:libtext/src/%.c=$(B)/lib/%.o)
TOOLS    := tx-vectorize tx-themes tx-assign tx-eval tx-causes tx-train-causes
TOOL_BIN := $(TOOLS:%=$(B)/%)
TEST_SRC := $(wildcard tests/check_*.c)
MAN1     := $(TOOLS:%=$(B)/man/%.1)
EXAMPLES := $(patsubst examples/%.c,$(B)/examples/%,$(wildcard examples/*.c))
TEST_OBJ := $(TEST_SRC:tests/%.c=$(B)/tests/%.o) $(B)/tests/runner.o

# Keep object files make would otherwise treat as intermediate.
.SECONDARY:
.PHONY: all build-all check run-check bench install uninstall clean fuzz deps deps-build deps-bench models
# Dependency flags are expanded lazily, so deps installed by the first
# prerequisite are seen by the compiles that follow.
all: deps-build
	@$(MAKE) --no-print-directory build-all
build-all: $(B)/libtext.a $(B)/libtext.so $(TOOL_BIN) $(B)/libtext.pc $(EXAMPLES) \
           $(MAN1)

$(B)/lib/%.o: libtext/src/%.c
	@mkdir -p $(@D)
	$(CC) $(LIB_CFLAGS) -c $< -o $@
$(B)/libtext.a: $(LIB_OBJ)
	rm -f $@ && $(AR) rcs $@ $^
$(B)/libtext.so.$(VERSION): $(LIB_OBJ) libtext/libtext.map
	$(CC) -shared -Wl,-soname,libtext.so.$(ABI) \
	    -Wl,--version-script=libtext/libtext.map -o $@ $(LIB_OBJ) \
	    $(LDFLAGS_ALL) $(LIBS)
$(B)/libtext.so: $(B)/libtext.so.$(VERSION)
	ln -sf libtext.so.$(VERSION) $(B)/libtext.so.$(ABI)
	ln -sf libtext.so.$(VERSION) $@

DATADIR  ?= $(PREFIX)/share/libtext
$(B)/tools/%.o: tools/%.c | $(B)/tools
	$(CC) $(ALL_CFLAGS) -Itools -DTX_MODELDIR='"$(DATADIR)"' -c $< -o $@
$(B)/tools/cli_mpi.o: tools/cli_mpi.c Makefile | $(B)/tools
	$(CC) $(ALL_CFLAGS) $(MPI_CFLAGS) -Itools -c $< -o $@
$(B)/tx-%: $(B)/tools/tx-%.o $(B)/tools/cli.o $(B)/tools/cli_mpi.o $(B)/libtext.a
	$(CC) -o $@ $^ $(LDFLAGS_ALL) $(LIBS) $(MPI_LIBS)

# The .pc names the PREFIX it is made for, so it is made again at install
# time (an earlier `make` may have used another PREFIX).
PC_SED = sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCDIR@|$(INCDIR)|' -e 's|@VERSION@|$(VERSION)|'
$(B)/libtext.pc: libtext.pc.in Makefile | $(B)
	$(PC_SED) $< > $@

# Man pages of the tools, made from their --help.
$(B)/man/%.1: $(B)/% docs/man/help2roff.sh
	@mkdir -p $(@D)
	docs/man/help2roff.sh $< $(VERSION) > $@.tmp && mv $@.tmp $@

# Example programs: compiled as a user would, against libtext.h only.
$(B)/examples/%: examples/%.c $(B)/libtext.a libtext/include/libtext.h
	@mkdir -p $(@D)
	$(CC) $(WARN) -Ilibtext/include $(CFLAGS) $(SANFLAGS) $< -o $@ \
	    $(B)/libtext.a $(LDFLAGS_ALL) $(LIBS)

$(B)/tests/%.o: tests/%.c | $(B)/tests
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -DTX_SRCDIR='"$(CURDIR)"' -c $< -o $@
$(B)/check_libtext: $(TEST_OBJ) $(B)/libtext.a
	$(CC) -o $@ $^ $(LDFLAGS_ALL) $(CHECK_LIBS) $(LIBS)

$(B) $(B)/lib $(B)/tools $(B)/tests:
	mkdir -p $@

# tests/deps.sh installs missing Debian packages when run as root, or stops
# with the exact apt-get command to run.
check: deps all
	@$(MAKE) --no-print-directory run-check
run-check: $(B)/check_libtext
	$(B)/check_libtext
	tests/examples.sh $(B)
	tests/exports.sh $(B)
	tests/header_docs.sh
	tests/golden.sh $(B)
	tests/bad_input.sh $(B)
	tests/outputs.sh $(B)
	tests/sklearn_equiv.sh $(B) $(PYTHON)
	tests/h5py_read.sh $(B) $(PYTHON)
	tests/themes.sh $(B) $(PYTHON)
	tests/vectors.sh $(B) $(PYTHON)
	tests/causes.sh $(B) $(PYTHON)
	tests/insights.sh $(B) $(PYTHON)
	tests/mpi.sh $(B)
	tests/install.sh

deps-build:
	@tests/deps.sh build
deps:
	@tests/deps.sh test
deps-bench:
	@tests/deps.sh bench

# The cause detector, trained on the Causal News Corpus V2 (deterministic
# for the seed; tests/causes.sh checks the shipped file matches the code).
CORPORA ?= ../shared/corpora
CNC     ?= $(CORPORA)/causal_news_corpus/V2
models: all
	TX_SHARED=$(dir $(CORPORA:/=)) models/train-causes.sh $(B) $(PYTHON) models/causes.h5

bench: deps-bench all
	bench/run.sh $(B) $(PYTHON)
	bench/quality.sh $(B) $(PYTHON)
	bench/feedback.sh $(B) $(PYTHON)
	bench/wordvec.sh $(B) $(PYTHON)
	bench/speed.sh $(B) $(PYTHON)
	bench/mpi.sh $(B) $(PYTHON)
	bench/causes.sh $(B) $(PYTHON)
	bench/causes_sources.sh $(B) $(PYTHON)
	bench/causes_cv.sh $(B) $(PYTHON)
	bench/long_docs.sh $(B) $(PYTHON)
	bench/planted.sh $(B) $(PYTHON)
	bench/stability.sh $(B) $(PYTHON)

FUZZ_TARGETS ?= csv ranks html tsv jsonl json transcript vtt srt tokenizer causes wordvec w2vbin npy
FUZZ_SECONDS ?= 30
fuzz:
	tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

install: all
	@$(MAKE) --no-print-directory install-files
install-files:
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCDIR) \
	    $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3
	install -m 644 libtext/include/libtext.h $(DESTDIR)$(INCDIR)/
	install -m 644 $(B)/libtext.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(B)/libtext.so.$(VERSION) $(DESTDIR)$(LIBDIR)/
	ln -sf libtext.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libtext.so.$(ABI)
	ln -sf libtext.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libtext.so
	$(PC_SED) libtext.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/libtext.pc
	install -m 755 $(TOOL_BIN) $(DESTDIR)$(BINDIR)/
	install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1/
	install -m 644 docs/man/libtext.3 $(DESTDIR)$(MANDIR)/man3/
	install -d $(DESTDIR)$(DATADIR)
	install -m 644 models/causes.h5 $(DESTDIR)$(DATADIR)/
	@# As Debian's packaging does: refresh the loader's cache for a real
	@# install (a staged DESTDIR install is left to the package's tools).
	@if [ -z "$(DESTDIR)" ] && command -v ldconfig > /dev/null; then \
	    ldconfig 2> /dev/null || echo "install: run ldconfig as root, or set LD_LIBRARY_PATH=$(LIBDIR)"; fi

uninstall:
	rm -f $(DESTDIR)$(INCDIR)/libtext.h $(DESTDIR)$(LIBDIR)/libtext.a \
	      $(DESTDIR)$(LIBDIR)/libtext.so $(DESTDIR)$(LIBDIR)/libtext.so.$(ABI) \
	      $(DESTDIR)$(LIBDIR)/libtext.so.$(VERSION) \
	      $(DESTDIR)$(LIBDIR)/pkgconfig/libtext.pc \
	      $(TOOLS:%=$(DESTDIR)$(BINDIR)/%) $(TOOLS:%=$(DESTDIR)$(MANDIR)/man1/%.1) \
	      $(DESTDIR)$(MANDIR)/man3/libtext.3 $(DESTDIR)$(DATADIR)/causes.h5
	-rmdir $(DESTDIR)$(DATADIR) 2>/dev/null
	@if [ -z "$(DESTDIR)" ] && command -v ldconfig > /dev/null; then \
	    ldconfig 2> /dev/null || true; fi

clean:
	rm -rf $(B)

-include $(LIB_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(TOOLS:%=$(B)/tools/%.d) $(B)/tools/cli.d \
         $(B)/tools/cli_mpi.d
