/* The gate: the only code from which lbw's own system calls are made.
 * Syscall User Dispatch lets calls from [lbw_gate_start, lbw_gate_end)
 * through to the kernel; every other syscall instruction traps. */
/* C arguments (nr, a1..a5 in rdi..r9) to the syscall registers. */
.macro ARGS_TO_SYSCALL
	mov %rdi, %rax
	mov %rsi, %rdi
	mov %rdx, %rsi
	mov %rcx, %rdx
	mov %r8, %r10
	mov %r9, %r8
.endm

	.section lbw_gate,"ax",@progbits
	.globl lbw_gate_start, lbw_gate_end
lbw_gate_start:

/* long lbw_sys(long nr, long a1, long a2, long a3, long a4, long a5, long a6) */
	.globl lbw_sys
	.type lbw_sys,@function
lbw_sys:
	ARGS_TO_SYSCALL
	mov 8(%rsp), %r9
	syscall
	ret
	.size lbw_sys, .-lbw_sys

/* long lbw_sys_cp(long nr, long a1, ..., long a6, volatile uint64_t *pending)
 * A system call lbw makes for the guest, which a guest signal may cut
 * short: if a signal is already pending for delivery it is not made at
 * all (-ERESTARTSYS: the guest makes it again after its handler, as if
 * the signal had come just before its syscall instruction). A signal that arrives between the check and the syscall
 * instruction, or whose syscall the kernel rewound for a restart, finds its
 * interrupted %rip in [lbw_cp_begin, lbw_cp_insn]; lbw's signal handler then
 * resumes at lbw_cp_cancel instead (the way musl closes this race). */
	.globl lbw_sys_cp, lbw_cp_begin, lbw_cp_insn, lbw_cp_cancel
	.type lbw_sys_cp,@function
lbw_sys_cp:
	ARGS_TO_SYSCALL
	mov 8(%rsp), %r9
	mov 16(%rsp), %r11
lbw_cp_begin:
	cmpq $0, (%r11)
	jne lbw_cp_cancel
lbw_cp_insn:
	syscall
	ret
lbw_cp_cancel:
	mov $-512, %rax		/* -ERESTARTSYS: not made; make it again */
	ret
	.size lbw_sys_cp, .-lbw_sys_cp

/* Offsets checked by trap/trap.c's static assertions. */
#define LBW_STACK_SIZE 0x40000
#define TASK_STACK_HI 40
#define TASK_PENDING 96
#define UC_RSP 160

/* Guest signals that come while lbw's code runs on its stack wait in
 * t->pending for the way back to the guest (sig/deliver.c). The last look
 * at it is made here, right before the rt_sigreturn into the guest: one
 * found goes back to the kernel (lbw_pending_late), which delivers it once
 * the guest's mask is back. One that comes between the look and the
 * syscall instruction finds its interrupted %rip in [start, insn], and
 * sig_from_host moves it back to the start: the look is made again (as a
 * restartable sequence). Without this, such a signal would wait for the
 * guest's next system call, for ever if the guest waits for it in a loop.
 *
 * This is the restorer of every lbw handler (inside the gate, or its
 * rt_sigreturn would itself trap); %rsp is the frame's ucontext. A context
 * that goes back into lbw itself (a handler that interrupted lbw, a fault
 * fixed up in lbw's guest-memory routines) leaves the signals to the
 * handler it returns to. */
	.globl lbw_restorer_checked, lbw_restorer_checked_insn
	.type lbw_restorer_checked,@function
lbw_restorer_checked:
	mov %rsp, %rdi
	and $-LBW_STACK_SIZE, %rdi	/* the task */
	mov UC_RSP(%rsp), %rax
	cmp %rdi, %rax
	jb 1f
	cmp TASK_STACK_HI(%rdi), %rax
	jb 2f				/* back into lbw */
1:	cmpq $0, TASK_PENDING(%rdi)
	jne 3f
2:	mov $15, %eax
lbw_restorer_checked_insn:
	syscall
	hlt
3:	call lbw_pending_late		/* %rsp % 16 == 0 here, as after a ret */
	jmp lbw_restorer_checked
	.size lbw_restorer_checked, .-lbw_restorer_checked

/* void lbw_sigreturn_at(unsigned long sp): rt_sigreturn with %rsp = sp, so
 * the kernel takes the rt_sigframe at sp - 8 (as after the handler's ret).
 * Its callers block every signal first and look at t->pending after:
 * nothing can come in between. */
	.globl lbw_sigreturn_at
	.type lbw_sigreturn_at,@function
lbw_sigreturn_at:
	mov %rdi, %rsp
	mov $15, %eax
	syscall
	hlt
	.size lbw_sigreturn_at, .-lbw_sigreturn_at

/* long lbw_clone_vm(long nr, unsigned long a1, ..., a5)
 * clone or clone3 for a child that shares lbw's memory (threads, vfork).
 * The child starts on its own lbw stack (the stack given in the arguments)
 * with nothing to return to: it calls lbw_child_start(sp), which returns the
 * address of the guest frame to resume, and enters the guest through
 * rt_sigreturn. The parent returns normally. */
	.globl lbw_clone_vm
	.type lbw_clone_vm,@function
lbw_clone_vm:
	ARGS_TO_SYSCALL
	syscall
	test %rax, %rax
	jnz 1f
	xor %ebp, %ebp
	mov %rsp, %rdi
	and $-16, %rsp
	call lbw_child_start
	mov %rax, %rdi
	jmp lbw_sigreturn_at
1:	ret
	.size lbw_clone_vm, .-lbw_clone_vm

/* The fast path's way into the kernel: a rewritten site's stub calls this
 * with the guest's registers as they were at its syscall instruction. */
	.globl lbw_gate_pass
	.type lbw_gate_pass,@function
lbw_gate_pass:
	syscall
	ret
	.size lbw_gate_pass, .-lbw_gate_pass

/* void lbw_thread_exit(struct task **free_list, struct task *t, long code)
 * The last thing a thread does: push its own task (and so its lbw stack)
 * on the free list, then exit, touching no memory in between. Its signals
 * are blocked, so the kernel writes nothing more on that stack either. */
	.globl lbw_thread_exit
	.type lbw_thread_exit,@function
lbw_thread_exit:
	mov (%rdi), %rax
1:	mov %rax, 8(%rsi)
	lock cmpxchg %rsi, (%rdi)
	jnz 1b
	mov %rdx, %rdi
	mov $60, %eax
	syscall
	hlt
	.size lbw_thread_exit, .-lbw_thread_exit

lbw_gate_end:
	.section .note.GNU-stack,"",@progbits
