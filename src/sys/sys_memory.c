/* Memory calls. The guest may map, unmap and protect anything but lbw's
 * own memory (invariant 3); its brk is emulated after its own image, since
 * the kernel's brk belongs to lbw's image. */
#include "memory.h"
#include "table.h"
#include "../rt/rt.h"
#include "../task.h"

static unsigned long brk_start, brk_cur;
static int brk_native;

void mem_brk_native(void)
{
	brk_native = 1;
}
int mem_brk_is_native(void)
{
	return brk_native;
}
unsigned long mem_brk_start(void)
{
	return brk_start;
}

static lbw_lock_t brk_lock;

void mem_brk_init(unsigned long start)
{
	brk_start = brk_cur = start;
	brk_native = 0; /* until the kernel takes the new layout (tell_kernel) */
}

static int is_err(long r)
{
	return r < 0 && r > -4096;
}

long sys_brk(struct task *t, struct sc *c)
{
	(void)t;
	unsigned long want = c->a[0];
	if (brk_native)
		return sys1(SYS_brk, want);
	lbw_lock(&brk_lock);
	unsigned long cur = brk_cur;
	if (want < brk_start || want > 0x7ffffffff000UL) {
		lbw_unlock(&brk_lock);
		return cur;
	}
	unsigned long have = page_up(cur), need = page_up(want);
	if (need > have) {
		/* Grow only into free space, as the kernel does. */
		if (lbw_owns(have, need - have)) {
			lbw_unlock(&brk_lock);
			return cur;
		}
		long r = sys6(SYS_mmap, have, need - have, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (is_err(r)) {
			lbw_unlock(&brk_lock);
			return cur;
		}
	} else if (need < have) {
		sys2(SYS_munmap, need, have - need);
	}
	brk_cur = want;
	lbw_unlock(&brk_lock);
	return want;
}

long sys_mmap(struct task *t, struct sc *c)
{
	(void)t;
	unsigned long addr = c->a[0], len = c->a[1];
	int flags = (int)c->a[3];
	if ((flags & MAP_FIXED) && !(flags & MAP_FIXED_NOREPLACE) && len && lbw_owns(addr, page_up(len)))
		return -ENOMEM;
	return sys6(SYS_mmap, addr, len, c->a[2], flags, c->a[4], c->a[5]);
}

long sys_munmap(struct task *t, struct sc *c)
{
	(void)t;
	if (c->a[1] && lbw_owns(c->a[0], page_up(c->a[1])))
		return -EINVAL;
	return sys2(SYS_munmap, c->a[0], c->a[1]);
}

long sys_mprotect(struct task *t, struct sc *c)
{
	(void)t;
	if (c->a[1] && lbw_owns(c->a[0], page_up(c->a[1])))
		return -ENOMEM;
	return sys3(SYS_mprotect, c->a[0], c->a[1], c->a[2]);
}

long sys_pkey_mprotect(struct task *t, struct sc *c)
{
	(void)t;
	if (c->a[1] && lbw_owns(c->a[0], page_up(c->a[1])))
		return -ENOMEM;
	return sys4(SYS_pkey_mprotect, c->a[0], c->a[1], c->a[2], c->a[3]);
}

long sys_mremap(struct task *t, struct sc *c)
{
	(void)t;
	unsigned long old = c->a[0], oldlen = c->a[1], newlen = c->a[2], flags = c->a[3], new = c->a[4];
	if (oldlen && lbw_owns(old, page_up(oldlen)))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && lbw_owns(new, page_up(newlen)))
		return -EINVAL;
	return sys5(SYS_mremap, old, oldlen, newlen, flags, new);
}

long sys_madvise(struct task *t, struct sc *c)
{
	(void)t;
	if (c->a[1] && lbw_owns(c->a[0], page_up(c->a[1])))
		return -EINVAL;
	return sys3(SYS_madvise, c->a[0], c->a[1], c->a[2]);
}

#define SHM_REMAP 040000
long sys_shmat(struct task *t, struct sc *c)
{
	(void)t;
	if (c->a[1] && (c->a[2] & SHM_REMAP)) {
		/* struct shmid64_ds: shm_segsz follows the 48-byte ipc64_perm. */
		unsigned long ds[16];
		long r = sys3(SYS_shmctl, c->a[0], 2 /* IPC_STAT */, (long)ds);
		if (r < 0)
			return r;
		if (lbw_owns(page_down(c->a[1]), page_up(ds[6])))
			return -EINVAL;
	}
	return sys3(SYS_shmat, c->a[0], c->a[1], c->a[2]);
}
