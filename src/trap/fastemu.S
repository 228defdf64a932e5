/* The fast path into lbw's dispatcher, for calls lbw emulates (paths in a
 * guest root, fake root's calls): a rewritten site's stub calls this with
 * the guest's registers as they were at its syscall instruction (%rax the
 * call's number) and %rsp below the guest's red zone. It returns as the
 * kernel would: %rax the result, %rcx and %r11 clobbered, every other
 * register and the flags kept; %rcx 0 says "make the call by the trap
 * instead" (the stub then runs the site's own syscall instruction).
 *
 * lbw's C code needs its own stack: the thread's lbw stack. While one
 * thread runs in the memory, lbw_solo (trap/trap.h) names its task;
 * otherwise the lbw stack is also the thread's sigaltstack, so one
 * sigaltstack(NULL, &ss) call finds it (no TLS).
 * The guest's registers are kept on the guest's stack, so that once lbw
 * is back on it nothing of lbw's stack is needed: a signal that arrives
 * while lbw runs on its stack is held (sig/deliver.c sees the stack), one
 * that arrives on either side of it is delivered at once, its handler
 * seeing an interrupted %rip inside lbw, as for a call lbw passes through.
 * Signals held meanwhile are given back to the kernel by
 * lbw_fast_finish, on the guest's stack, which then delivers them. */
#define LBW_STACK_SIZE 0x40000
#define TASK_STACK_HI 40
#define SYS_sigaltstack 131

	.text
	.globl lbw_fast_emulate
	.type lbw_fast_emulate,@function
lbw_fast_emulate:
	pushfq
	cld
	push %rdi
	push %rsi
	push %rdx
	push %r8
	push %r9
	push %r10
	push %rax
	push %rbx
	sub $48, %rsp			/* struct fast_frame (trap/fast.c) */
	mov lbw_solo(%rip), %rcx	/* the one thread's task, if so */
	test %rcx, %rcx
	jnz 1f
	xor %edi, %edi
	mov %rsp, %rsi
	mov $SYS_sigaltstack, %eax
	call lbw_gate_pass
	test %rax, %rax
	jnz 2f
	mov (%rsp), %rcx		/* ss_sp: inside the task's lbw stack */
	and $-LBW_STACK_SIZE, %rcx
	jz 2f
	movabs $0x6c62777461736b31, %rax	/* TASK_MAGIC */
	cmp %rax, (%rcx)
	jne 2f
1:	mov %rcx, 24(%rsp)
	mov %rsp, %rbx			/* the frame, on the guest's stack */
	/* One instruction: %rsp never equals stack_hi, where sig/ would take
	 * a signal for the guest's and build its frame on lbw's stack. */
	mov TASK_STACK_HI(%rcx), %rax
	lea -64(%rax), %rsp		/* strictly inside: sig/ sees lbw running */
	mov %rcx, %rdi
	mov %rbx, %rsi
	call lbw_fast_dispatch		/* the result; the frame's redo */
	mov %rbx, %rsp			/* back on the guest's stack */
	mov %rax, 32(%rbx)
	mov 24(%rbx), %rdi
	and $-16, %rsp
	call lbw_fast_finish		/* hands held signals back to the kernel */
	mov %rbx, %rsp
	mov 32(%rsp), %rax
	mov 40(%rsp), %rcx
	jmp 3f
2:	xor %ecx, %ecx			/* no lbw stack found: trap */
3:	add $48, %rsp
	pop %rbx
	add $8, %rsp			/* the number */
	pop %r10
	pop %r9
	pop %r8
	pop %rdx
	pop %rsi
	pop %rdi
	popfq
	ret
	.size lbw_fast_emulate, .-lbw_fast_emulate
	.section .note.GNU-stack,"",@progbits
