/* Access to guest memory. A fault in here is caught by lbw's SIGSEGV and
 * SIGBUS handler, which resumes at guestmem_fixup: the routine then returns
 * -EFAULT to its caller. These routines push nothing, so the fixup's ret
 * returns straight to the caller. */
	.text
	.globl guestmem_start, guestmem_end, guestmem_fixup

guestmem_start:
/* long copy_from_guest(void *dst, const void *gsrc, size_t n) */
	.globl copy_from_guest
	.type copy_from_guest,@function
copy_from_guest:
/* long copy_to_guest(void *gdst, const void *src, size_t n) */
	.globl copy_to_guest
	.type copy_to_guest,@function
copy_to_guest:
	mov %rdx, %rcx
	rep movsb
	xor %eax, %eax
	ret

/* long strncpy_from_guest(char *dst, const char *gsrc, size_t size) */
	.globl strncpy_from_guest
	.type strncpy_from_guest,@function
strncpy_from_guest:
	xor %eax, %eax
1:	cmp %rdx, %rax
	jae 3f
	movzbl (%rsi,%rax), %ecx
	mov %cl, (%rdi,%rax)
	test %cl, %cl
	jz 2f
	inc %rax
	jmp 1b
2:	ret
3:	test %rdx, %rdx
	jz 4f
	movb $0, -1(%rdi,%rdx)
4:	mov $-36, %rax		/* -ENAMETOOLONG */
	ret
/* The fast path's check of a path argument (pointer in %r11): 0 if the
 * call may go straight to the kernel, non-zero if lbw must see it (a path
 * starting with /proc/, or a bad pointer: the fixup's -EFAULT), or if the
 * guest has since made itself a root or a bind (lbw_probe_vfs). Uses only
 * %rax, %rcx and %r11, which the syscall clobbers anyway. Reading 8 bytes
 * of a shorter string may fault at a page end: that path just traps. */
	.globl lbw_probe_proc, lbw_probe_vfs
	.type lbw_probe_proc,@function
lbw_probe_proc:
	test %r11, %r11
	jz 1f
	mov (%r11), %rax
	movabs $0xffffffffffff, %rcx
	and %rcx, %rax
	movabs $0x2f636f72702f, %rcx	/* "/proc/" */
	cmp %rcx, %rax
	je 1f
/* The check of a call without a path that a guest root changes (sockets'
 * file names, getcwd): 0 while there is no root nor bind, as when the
 * site was rewritten (chroot, mount under -0 make them later:
 * vfs.nbinds, vfs.root[1]; see vfs_active). */
lbw_probe_vfs:
	cmpl $0, vfs(%rip)
	jne 1f
	cmpb $0, vfs+5(%rip)
	jne 1f
	xor %eax, %eax
	ret
1:	mov $1, %eax
	ret
guestmem_end:

guestmem_fixup:
	mov $-14, %rax		/* -EFAULT */
	ret
	.section .note.GNU-stack,"",@progbits
