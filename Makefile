# lbw: `make` builds build/lbw; `make check` runs the test suite;
# `make install PREFIX=...` installs; `make bench` runs the benchmarks.

CC ?= cc
ifeq ($(origin CC),default)
CC := gcc
endif
PREFIX ?= /usr/local
BUILD := build

# lbw is freestanding: no libc, no TLS, no stack protector (its canary would
# live at %fs:0x28, the guest's), no SSE in lbw's own code (a future fast
# path enters lbw without saving the guest's vector registers).
CFLAGS_LBW := -std=gnu11 -O2 -g -Wall -Wextra -ffreestanding -fno-builtin -nostdlib \
	-fno-stack-protector -fno-stack-clash-protection -fPIE -mgeneral-regs-only \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -fcf-protection=none \
	-fvisibility=hidden -Isrc
ifeq ($(findstring clang,$(shell $(CC) --version 2>/dev/null)),)
CFLAGS_LBW += -fno-tree-loop-distribute-patterns
endif
LDFLAGS_LBW := -static-pie -nostdlib -Wl,--no-dynamic-linker -Wl,-z,noexecstack \
	-Wl,-z,norelro -Wl,--build-id=none -Wl,-z,max-page-size=4096 -Wl,-z,noseparate-code \
	-Wl,-T,src/rt/layout.ld

SRCS := $(wildcard src/*.c src/*/*.c)
ASMS := $(wildcard src/*/*.S)
OBJS := $(patsubst src/%,$(BUILD)/obj/%,$(SRCS:.c=.o) $(ASMS:.S=.o))
DEPS := $(OBJS:.o=.d)

all: $(BUILD)/lbw

$(BUILD)/lbw: $(OBJS) src/rt/layout.ld
	$(CC) $(CFLAGS_LBW) $(LDFLAGS_LBW) -o $@ $(OBJS) -lgcc

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_LBW) -MMD -MP -c -o $@ $<

$(BUILD)/obj/%.o: src/%.S
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_LBW) -MMD -MP -c -o $@ $<

-include $(DEPS)

# The suite runs three times: with the fast path (the default), with every
# call trapping (--no-rewrite), and with every path resolved by lbw in a
# guest root (-R /: the host's / as guest root, with the usual binds).
# Then the Debian scenario: a rootfs made and used by a non-root user.
check: all
	tests/deps.sh
	tests/run.sh $(BUILD)/lbw
	LBW_FLAGS=--no-rewrite tests/run.sh $(BUILD)/lbw
	LBW_FLAGS="-R /" tests/run.sh $(BUILD)/lbw
	tests/debian.sh $(BUILD)/lbw

bench: all
	bench/run.sh $(BUILD)/lbw

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BUILD)/lbw $(DESTDIR)$(PREFIX)/bin/lbw
	install -m 755 tools/lbw-rootfs $(DESTDIR)$(PREFIX)/bin/lbw-rootfs

clean:
	rm -rf $(BUILD)

.PHONY: all check bench install clean
