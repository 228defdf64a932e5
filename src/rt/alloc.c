/* lbw's allocator and the record of which memory is lbw's. Small blocks
 * come from power-of-two free lists carved out of 1 MiB arenas; large ones
 * are mapped whole. Every mapping is recorded, so that guest memory calls
 * can be refused when they would touch lbw (invariant 3). */
#include "rt.h"

void lbw_lock(lbw_lock_t *l)
{
	while (__atomic_exchange_n(&l->v, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->v, __ATOMIC_RELAXED))
			__asm__ volatile("pause");
}

void lbw_unlock(lbw_lock_t *l)
{
	__atomic_store_n(&l->v, 0, __ATOMIC_RELEASE);
}

/* ---- regions owned by lbw ---- */
#define MAX_REGIONS 512
/* Also read, without the lock, by the fast path's probes (trap/probe.S). */
struct lbw_region {
	unsigned long lo, hi;
} lbw_regions[MAX_REGIONS] LBW_BIG_BSS;
int lbw_nregions;
static lbw_lock_t region_lock;

void lbw_own_region(unsigned long addr, unsigned long len)
{
	lbw_lock(&region_lock);
	if (lbw_nregions < MAX_REGIONS) {
		lbw_regions[lbw_nregions].lo = page_down(addr);
		lbw_regions[lbw_nregions].hi = page_up(addr + len);
		/* the entry before the count, for the probes' lock-free reads */
		__atomic_store_n(&lbw_nregions, lbw_nregions + 1, __ATOMIC_RELEASE);
	} else {
		lbw_warn("too many lbw regions; memory protection is incomplete");
	}
	lbw_unlock(&region_lock);
}

void lbw_disown_region(unsigned long addr, unsigned long len)
{
	unsigned long lo = page_down(addr), hi = page_up(addr + len);
	lbw_lock(&region_lock);
	for (int i = 0; i < lbw_nregions; i++) {
		if (lbw_regions[i].lo == lo && lbw_regions[i].hi == hi) {
			lbw_regions[i] = lbw_regions[--lbw_nregions];
			break;
		}
	}
	lbw_unlock(&region_lock);
}

int lbw_owns(unsigned long addr, unsigned long len)
{
	unsigned long lo = addr, hi = addr + len;
	if (hi < lo) /* wraps: cannot be a valid guest range anyway */
		return 1;
	int r = 0;
	lbw_lock(&region_lock);
	for (int i = 0; i < lbw_nregions; i++)
		if (lo < lbw_regions[i].hi && lbw_regions[i].lo < hi) {
			r = 1;
			break;
		}
	lbw_unlock(&region_lock);
	return r;
}

int lbw_region_from(unsigned long addr, unsigned long *lo, unsigned long *hi)
{
	int found = 0;
	lbw_lock(&region_lock);
	for (int i = 0; i < lbw_nregions; i++) {
		if (lbw_regions[i].hi <= addr || lbw_regions[i].lo == lbw_regions[i].hi)
			continue;
		if (!found || lbw_regions[i].lo < *lo) {
			*lo = lbw_regions[i].lo;
			*hi = lbw_regions[i].hi;
			found = 1;
		}
	}
	lbw_unlock(&region_lock);
	return found;
}

long lbw_map(size_t n, int prot)
{
	n = page_up(n);
	long p = sys6(SYS_mmap, 0, n, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p < 0 && p > -4096)
		return p;
	lbw_own_region(p, n);
	return p;
}

void lbw_unmap(void *p, size_t n)
{
	n = page_up(n);
	lbw_disown_region((unsigned long)p, n);
	sys2(SYS_munmap, (long)p, n);
}

/* ---- small-block allocator ---- */
#define NCLASS 9 /* 16 .. 4096 bytes */
#define ARENA (1024 * 1024)
struct hdr {
	size_t size; /* class index, or the mapping size for large blocks */
	size_t large;
};
struct freeblk {
	struct freeblk *next;
};
static struct freeblk *freelist[NCLASS];
static char *arena_cur, *arena_end;
static lbw_lock_t alloc_lock;

static int class_of(size_t n)
{
	size_t sz = 16;
	for (int c = 0; c < NCLASS; c++, sz <<= 1)
		if (n <= sz)
			return c;
	return -1;
}

void *lbw_alloc(size_t n)
{
	int c = class_of(n + sizeof(struct hdr));
	if (c < 0) {
		size_t total = page_up(n + sizeof(struct hdr));
		long p = lbw_map(total, PROT_READ | PROT_WRITE);
		if (p < 0 && p > -4096)
			return NULL;
		struct hdr *h = (struct hdr *)p;
		h->size = total;
		h->large = 1;
		return h + 1;
	}
	size_t sz = (size_t)16 << c;
	lbw_lock(&alloc_lock);
	struct hdr *h;
	int reused = freelist[c] != NULL;
	if (reused) {
		h = (struct hdr *)freelist[c];
		freelist[c] = freelist[c]->next;
	} else {
		if (arena_cur + sz > arena_end) {
			long p = lbw_map(ARENA, PROT_READ | PROT_WRITE);
			if (p < 0 && p > -4096) {
				lbw_unlock(&alloc_lock);
				return NULL;
			}
			arena_cur = (char *)p;
			arena_end = arena_cur + ARENA;
		}
		h = (struct hdr *)arena_cur;
		arena_cur += sz;
	}
	lbw_unlock(&alloc_lock);
	/* A fresh arena block is zero already: leave its pages untouched
	 * until used (each first touch costs a fault). */
	if (reused)
		memset(h, 0, sz);
	h->size = c;
	h->large = 0;
	return h + 1;
}

void lbw_free(void *p)
{
	if (!p)
		return;
	struct hdr *h = (struct hdr *)p - 1;
	if (h->large) {
		lbw_unmap(h, h->size);
		return;
	}
	int c = (int)h->size;
	lbw_lock(&alloc_lock);
	((struct freeblk *)h)->next = freelist[c];
	freelist[c] = (struct freeblk *)h;
	lbw_unlock(&alloc_lock);
}

/* Around a fork: no other thread may hold these, or the child (which has
 * only the forking thread) would wait on them forever. Order: alloc, then
 * region, as lbw_alloc nests them. */
void rt_fork_lock(void)
{
	lbw_lock(&alloc_lock);
	lbw_lock(&region_lock);
}

void rt_fork_unlock(void)
{
	lbw_unlock(&region_lock);
	lbw_unlock(&alloc_lock);
}

uint64_t lbw_random(void)
{
	uint64_t v = 0;
	if (sys3(SYS_getrandom, (long)&v, sizeof v, GRND_NONBLOCK) != sizeof v)
		v = rdtsc() * 0x9e3779b97f4a7c15ULL;
	return v;
}
