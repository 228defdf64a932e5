/* The fast path's checks of memory calls, called from a rewritten site's
 * stub before it enters the kernel: %eax 0 lets the call go straight to the
 * kernel, 1 sends it to lbw (the trap), which refuses it on lbw's own
 * memory. They read the guest's arguments in place (%rdi address, %rsi
 * length, %r10 mmap's flags) and use only %rax, %rcx and %r11, which the
 * syscall clobbers anyway, and %rdx, which they save. */
	.text

/* mmap: only MAP_FIXED (without MAP_FIXED_NOREPLACE) can replace existing
 * mappings; then the range is checked. */
	.globl lbw_probe_mmap
	.type lbw_probe_mmap,@function
lbw_probe_mmap:
	mov %r10d, %eax
	and $0x100010, %eax	/* MAP_FIXED_NOREPLACE | MAP_FIXED */
	cmp $0x10, %eax
	je lbw_probe_range
	xor %eax, %eax
	ret

/* munmap, mprotect, madvise: does [%rdi, %rdi + %rsi), in whole pages,
 * meet one of lbw's regions (rt/alloc.c), or the stack the stub runs on?
 * The stub returns through the stack after the call, so a thread that
 * unmaps its own stack and then exits (musl's detached threads) must go
 * through the trap, which runs on lbw's stack. The table is read without
 * its lock: lbw adds a region before it uses the memory, and a region
 * being removed is being given up. An empty or wrapping range is the
 * kernel's to refuse. */
	.globl lbw_probe_range
	.type lbw_probe_range,@function
lbw_probe_range:
	push %rdx
	mov %rdi, %rax
	and $-4096, %rax		/* lo */
	lea 4095(%rdi,%rsi), %r11
	and $-4096, %r11		/* hi */
	cmp %rax, %r11
	jbe 2f
	lea -256(%rsp), %rcx		/* the stub's stack, red zone and all */
	cmp %rcx, %r11
	jbe 4f
	lea 512(%rsp), %rcx
	cmp %rcx, %rax
	jb 5f
4:	mov lbw_nregions(%rip), %edx
	lea lbw_regions(%rip), %rcx
1:	test %edx, %edx
	jz 2f
	cmp 8(%rcx), %rax		/* lo >= region.hi: apart */
	jae 3f
	cmp %r11, (%rcx)		/* region.lo >= hi: apart */
	jae 3f
5:	mov $1, %eax
	pop %rdx
	ret
3:	add $16, %rcx
	dec %edx
	jmp 1b
2:	xor %eax, %eax
	pop %rdx
	ret
	.section .note.GNU-stack,"",@progbits
