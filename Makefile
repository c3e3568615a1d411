# Scribe -- deterministic record/replay for Linux x86-64 programs.
#
#   make            build build/scribe (gcc by default; CC=clang works too)
#   make asan       build build/asan/scribe with AddressSanitizer + UBSan
#   make test       install missing packages, build with gcc, clang and ASan,
#                   then run the whole suite (tests/run.sh) twice: with the
#                   syscall buffer and without it (SCRIBE_NO_BUFFER=1)
#   make demo       record and replay the demo program (scripts/demo.sh)
#   make bench      run the benchmarks (bench/run.sh) and print the table
#   make fuzz       build and run the trace-reader fuzzer for FUZZ_SECONDS
#   make install    install scribe, its man page, libscribe (library,
#                   header, pkg-config file) and the python module under
#                   PREFIX (DESTDIR honoured)
#   make test-python  the python module's pytest suite (python/tests)

CC      ?= cc
PREFIX  ?= /usr/local
# where `make install` puts the python module (python/scribe): a
# directory on the default sys.path of the system's python3
PYTHON_DIR ?= $(PREFIX)/lib/python3/dist-packages
VERSION := 0.5.0
# libscribe's soname version: bumped when the ABI breaks (include/scribe.h)
LIB_MAJOR := 0

WARN    := -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 $(WARN) -D_GNU_SOURCE -DSCRIBE_VERSION='"$(VERSION)"' \
           -Isrc -Iinclude -pthread
LDLIBS  := -lzstd -lxxhash -pthread

SRCS := $(wildcard src/cli/*.c src/core/*.c src/record/*.c src/replay/*.c src/gdb/*.c \
                   src/trace/*.c src/syscalls/*.c src/lib/*.c)
# libscribe (include/scribe.h): the trace reader, writer and editor, and
# what they use; built position-independent with every symbol hidden but
# the scribe_* API (src/lib/libscribe.map).
LIBSCRIBE_SRCS := $(wildcard src/lib/*.c src/trace/*.c src/syscalls/*.c src/record/*.c \
                              src/core/*.c src/replay/*.c)
# The preload library runs inside recorded programs: no sanitizers, no
# vector registers, no red zone (it calls the scribe page from C), no
# stack protector (it runs on its own stack); see src/preload/preload.c.
PRELOAD_SRCS  := src/preload/preload.c src/preload/core.c src/preload/patch.c src/preload/entry.S
PRELOAD_FLAGS := -O2 -g -std=c11 $(WARN) -D_GNU_SOURCE -Isrc -fPIC -shared \
                 -fvisibility=hidden -mgeneral-regs-only -mno-red-zone \
                 -fno-stack-protector -Wl,-z,now
HDRS := $(wildcard src/*/*.h) include/scribe.h
# The loader stub (src/preload/ldstub.h): the buffer's core again, with no
# libc at all, linked at a fixed address; scribe carries it as a blob.
LDSTUB_SRCS  := src/preload/ldstub.c src/preload/ldstub.S src/preload/core.c
LDSTUB_FLAGS := -O2 -std=c11 $(WARN) -D_GNU_SOURCE -Isrc -ffreestanding -fno-pic -fno-pie \
                -mgeneral-regs-only -mno-red-zone -fno-stack-protector \
                -fno-asynchronous-unwind-tables -fcf-protection=none -nostdlib -static \
                -Wl,-T,src/preload/ldstub.lds -Wl,--build-id=none

BUILD     := build
OBJS      := $(SRCS:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/ldstub_blob.o
ASAN_OBJS := $(SRCS:%.c=$(BUILD)/asan/obj/%.o) $(BUILD)/obj/ldstub_blob.o
ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
              -fno-sanitize-recover=undefined

TEST_PROGS := $(patsubst tests/programs/%.c,$(BUILD)/tests/%,$(wildcard tests/programs/*.c))
LIB_OBJS    = $(filter-out $(BUILD)/obj/src/cli/main.o,$(OBJS))

.PHONY: all asan test test-apps test-python bench fuzz install clean deps demo clang

LIBSCRIBE := $(BUILD)/libscribe.so.$(VERSION)
all: $(BUILD)/scribe $(BUILD)/libscribe-preload.so $(LIBSCRIBE) $(BUILD)/libscribe.a \
     $(BUILD)/scribe.pc

$(BUILD)/scribe: $(OBJS)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/libscribe-preload.so: $(PRELOAD_SRCS) $(wildcard src/preload/*.h) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(PRELOAD_FLAGS) -o $@ $(PRELOAD_SRCS)

$(BUILD)/ldstub.elf: $(LDSTUB_SRCS) src/preload/ldstub.lds $(wildcard src/preload/*.h) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(LDSTUB_FLAGS) -o $@ $(LDSTUB_SRCS)

$(BUILD)/ldstub.bin: $(BUILD)/ldstub.elf
	objcopy -O binary -j .text $< $@

$(BUILD)/obj/ldstub_blob.o: $(BUILD)/ldstub.bin
	@mkdir -p $(dir $@)
	printf '.section .rodata\n.globl ldstub_blob, ldstub_blob_end\n.p2align 4\nldstub_blob:\n.incbin "%s"\nldstub_blob_end:\n.section .note.GNU-stack,"",@progbits\n' $< | $(CC) -c -x assembler -o $@ -

$(BUILD)/obj/%.o: %.c $(HDRS) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

PIC_OBJS := $(LIBSCRIBE_SRCS:%.c=$(BUILD)/pic/obj/%.o)
$(BUILD)/pic/obj/%.o: %.c $(HDRS) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fPIC -fvisibility=hidden -DSCRIBE_BUILDING_LIBRARY -c -o $@ $<

$(LIBSCRIBE): $(PIC_OBJS) $(BUILD)/obj/ldstub_blob.o src/lib/libscribe.map
	$(CC) $(CFLAGS) -shared -Wl,-soname,libscribe.so.$(LIB_MAJOR) \
	    -Wl,--version-script=src/lib/libscribe.map -Wl,--no-undefined \
	    -o $@ $(PIC_OBJS) $(BUILD)/obj/ldstub_blob.o -lzstd -lxxhash
	ln -sf libscribe.so.$(VERSION) $(BUILD)/libscribe.so.$(LIB_MAJOR)
	ln -sf libscribe.so.$(LIB_MAJOR) $(BUILD)/libscribe.so

# The archive is one object whose internal symbols were made local, so a
# program linking it statically sees only scribe_* too.
$(BUILD)/libscribe.a: $(PIC_OBJS) $(BUILD)/obj/ldstub_blob.o
	$(LD) -r -o $(BUILD)/pic/libscribe.o $(PIC_OBJS) $(BUILD)/obj/ldstub_blob.o
	objcopy --localize-hidden --localize-symbol=ldstub_blob \
	    --localize-symbol=ldstub_blob_end $(BUILD)/pic/libscribe.o
	rm -f $@
	ar rcs $@ $(BUILD)/pic/libscribe.o

$(BUILD)/scribe.pc: src/lib/scribe.pc.in Makefile
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' $< >$@

# Tests of the python module (python/tests), over build/libscribe.so: by
# the first python3 that has pytest (Debian's python3-pytest is for
# /usr/bin/python3, which another python3 on PATH may hide).
PYTEST_PYTHON ?= $(shell for p in python3 /usr/bin/python3; do \
	$$p -c 'import pytest' 2>/dev/null && { echo $$p; break; }; done)
test-python: all test-programs
	$(or $(PYTEST_PYTHON),python3) -m pytest -q python/tests

asan: $(BUILD)/asan/scribe $(BUILD)/asan/libscribe-preload.so

$(BUILD)/asan/libscribe-preload.so: $(BUILD)/libscribe-preload.so
	@mkdir -p $(dir $@)
	cp $< $@

$(BUILD)/asan/scribe: $(ASAN_OBJS)
	$(CC) $(CFLAGS) $(ASAN_FLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/asan/obj/%.o: %.c $(HDRS) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(ASAN_FLAGS) -c -o $@ $<

# Test programs are deliberately plain: -O1 so loops stay loops, no sanitizers.
$(BUILD)/tests/%: tests/programs/%.c tests/programs/testutil.h
	@mkdir -p $(dir $@)
	$(CC) -O1 -g -Wall -Wextra -Werror -D_GNU_SOURCE -pthread -o $@ $< -lm

# Its first instruction is a cpuid, before any syscall: no libc.
$(BUILD)/tests/cpuid_static: tests/programs/cpuid_static.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -g -Wall -Wextra -Werror -nostdlib -static -fno-stack-protector -o $@ $<

$(BUILD)/tests/trace-tool: tests/tools/trace-tool.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# A program of the C API, built the way an installed libscribe is used.
$(BUILD)/tests/libtrace-cat: tests/tools/libtrace-cat.c include/scribe.h $(LIBSCRIBE)
	@mkdir -p $(dir $@)
	$(CC) -O1 -g -std=c11 $(WARN) -Iinclude -o $@ $< -L$(BUILD) -lscribe \
	    -Wl,-rpath,'$$ORIGIN/..'

# A client of the replay-control API, the same way.
$(BUILD)/tests/replayctl-client: tests/tools/replayctl-client.c include/scribe.h $(LIBSCRIBE)
	@mkdir -p $(dir $@)
	$(CC) -O1 -g -std=c11 $(WARN) -D_GNU_SOURCE -Iinclude -pthread -o $@ $< -L$(BUILD) -lscribe \
	    -Wl,-rpath,'$$ORIGIN/..'

# ... and of the bookmark API.
$(BUILD)/tests/bookmark-client: tests/tools/bookmark-client.c include/scribe.h $(LIBSCRIBE)
	@mkdir -p $(dir $@)
	$(CC) -O1 -g -std=c11 $(WARN) -Iinclude -o $@ $< -L$(BUILD) -lscribe \
	    -Wl,-rpath,'$$ORIGIN/..'

# A client of the checkpoint API, the same way.
$(BUILD)/tests/ckpt-client: tests/tools/ckpt-client.c include/scribe.h $(LIBSCRIBE)
	@mkdir -p $(dir $@)
	$(CC) -O1 -g -std=c11 $(WARN) -D_GNU_SOURCE -Iinclude -o $@ $< -L$(BUILD) -lscribe \
	    -Wl,-rpath,'$$ORIGIN/..'

# A recording and two replays at once in one process, the same way.
$(BUILD)/tests/librec-client: tests/tools/librec-client.c include/scribe.h $(LIBSCRIBE)
	@mkdir -p $(dir $@)
	$(CC) -O1 -g -std=c11 $(WARN) -D_GNU_SOURCE -Iinclude -pthread -o $@ $< -L$(BUILD) -lscribe \
	    -Wl,-rpath,'$$ORIGIN/..'

test-programs: $(TEST_PROGS) $(BUILD)/tests/trace-tool $(BUILD)/tests/libtrace-cat \
               $(BUILD)/tests/replayctl-client $(BUILD)/tests/bookmark-client \
               $(BUILD)/tests/ckpt-client $(BUILD)/tests/librec-client

$(BUILD)/demo: demo/demo.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -Wall -Wextra -Werror -D_GNU_SOURCE -o $@ $<

demo:
	scripts/demo.sh

# The same sources must build warning-free with clang too.
clang:
	$(MAKE) CC=clang BUILD=$(BUILD)/clang all

test: deps
	$(MAKE) all asan test-programs clang $(BUILD)/fuzz/fuzz-trace
	tests/run.sh --both --python

# All the real applications and language runtimes (make test runs six of them).
test-apps: all test-programs
	scripts/deps.sh --apps
	tests/run.sh --apps --both

bench: all test-programs
	bench/run.sh

FUZZ_SECONDS ?= 60
$(BUILD)/fuzz/fuzz-trace: tests/tools/fuzz-trace.c $(filter-out src/cli/%,$(SRCS)) $(HDRS) \
                          $(BUILD)/obj/ldstub_blob.o
	@mkdir -p $(dir $@)
	clang $(CFLAGS) -fsanitize=fuzzer,address,undefined \
	    -DTRC_MAX_CHUNK='(1u << 28)' \
	    -o $@ tests/tools/fuzz-trace.c $(filter-out src/cli/%,$(SRCS)) \
	    $(BUILD)/obj/ldstub_blob.o $(LDLIBS)

fuzz: all test-programs $(BUILD)/fuzz/fuzz-trace
	tests/fuzz.sh $(FUZZ_SECONDS)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(BUILD)/scribe $(DESTDIR)$(PREFIX)/bin/scribe
	install -d $(DESTDIR)$(PREFIX)/lib/scribe
	install -m 0644 $(BUILD)/libscribe-preload.so $(DESTDIR)$(PREFIX)/lib/scribe/
	install -m 0644 docs/scribe.1 $(DESTDIR)$(PREFIX)/share/man/man1/scribe.1
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 0755 $(LIBSCRIBE) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libscribe.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libscribe.so.$(LIB_MAJOR)
	ln -sf libscribe.so.$(LIB_MAJOR) $(DESTDIR)$(PREFIX)/lib/libscribe.so
	install -m 0644 $(BUILD)/libscribe.a $(DESTDIR)$(PREFIX)/lib/
	install -m 0644 include/scribe.h $(DESTDIR)$(PREFIX)/include/
	install -m 0644 $(BUILD)/scribe.pc $(DESTDIR)$(PREFIX)/lib/pkgconfig/
	install -d $(DESTDIR)$(PYTHON_DIR)/scribe
	install -m 0644 python/scribe/*.py $(DESTDIR)$(PYTHON_DIR)/scribe/

deps:
	scripts/deps.sh

clean:
	rm -rf $(BUILD)
