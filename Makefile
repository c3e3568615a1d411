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
#   make install    install scribe and its man page under PREFIX

CC      ?= cc
PREFIX  ?= /usr/local
VERSION := 0.4.0

WARN    := -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 $(WARN) -D_GNU_SOURCE -DSCRIBE_VERSION='"$(VERSION)"' \
           -Isrc -pthread
LDLIBS  := -lzstd -lxxhash -pthread

SRCS := $(wildcard src/cli/*.c src/core/*.c src/record/*.c src/replay/*.c \
                   src/trace/*.c src/syscalls/*.c)
# The preload library runs inside recorded programs: no sanitizers, no
# vector registers, no red zone (it calls the scribe page from C), no
# stack protector (it runs on its own stack); see src/preload/preload.c.
PRELOAD_SRCS  := src/preload/preload.c src/preload/core.c src/preload/patch.c src/preload/entry.S
PRELOAD_FLAGS := -O2 -g -std=c11 $(WARN) -D_GNU_SOURCE -Isrc -fPIC -shared \
                 -fvisibility=hidden -mgeneral-regs-only -mno-red-zone \
                 -fno-stack-protector -Wl,-z,now
HDRS := $(wildcard src/*/*.h)
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

.PHONY: all asan test test-apps bench fuzz install clean deps demo clang

all: $(BUILD)/scribe $(BUILD)/libscribe-preload.so

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

$(BUILD)/tests/trace-tool: tests/tools/trace-tool.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

test-programs: $(TEST_PROGS) $(BUILD)/tests/trace-tool

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
	tests/run.sh --both

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

deps:
	scripts/deps.sh

clean:
	rm -rf $(BUILD)
