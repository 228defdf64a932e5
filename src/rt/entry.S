/* Process entry. lbw is a static PIE with no dynamic loader: it applies its
 * own relocations (rt/start.c) before any other C code runs. */
	.text
	.globl _start
	.type _start,@function
_start:
	xor %ebp, %ebp
	mov %rsp, %rdi			/* the kernel's stack: argc, argv, envp, auxv */
	lea __ehdr_start(%rip), %rsi	/* where the kernel loaded us */
	lea _DYNAMIC(%rip), %rdx
	lea lbw_bss_end(%rip), %rcx	/* (rt/layout.ld) */
	and $-16, %rsp
	call lbw_start_c
	hlt

/* void lbw_run_on_stack(void *top, void (*fn)(void *), void *arg): switch to
 * another stack and call fn(arg) there; fn does not return. */
	.globl lbw_run_on_stack
	.type lbw_run_on_stack,@function
lbw_run_on_stack:
	mov %rdi, %rsp
	and $-16, %rsp
	xor %ebp, %ebp
	mov %rdx, %rdi
	call *%rsi
	hlt

/* void lbw_enter_guest(unsigned long entry, unsigned long sp): start a new
 * image as the kernel would: registers zero (rdx = 0: no rtld_fini). */
	.globl lbw_enter_guest
	.type lbw_enter_guest,@function
lbw_enter_guest:
	mov %rsi, %rsp
	mov %rdi, %r11
	xor %eax, %eax
	xor %ebx, %ebx
	xor %ecx, %ecx
	xor %edx, %edx
	xor %esi, %esi
	xor %edi, %edi
	xor %ebp, %ebp
	xor %r8d, %r8d
	xor %r9d, %r9d
	xor %r10d, %r10d
	xor %r12d, %r12d
	xor %r13d, %r13d
	xor %r14d, %r14d
	xor %r15d, %r15d
	push %r11
	xor %r11d, %r11d
	ret
	.section .note.GNU-stack,"",@progbits
