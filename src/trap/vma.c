/* What the fast path needs to know of the guest's mappings, and how it
 * writes into guest code.
 *
 * Rewriting costs what it asks of the kernel; on a virtual machine with
 * shadowed page tables (this project's CI) an mprotect pair costs ~25 us
 * and reading /proc/self/maps ~15 us plus ~0.5 us per mapping. So: the
 * PROCMAP_QUERY ioctl (Linux 6.11) answers "which mapping holds addr" in one
 * call, with the text of /proc/self/maps as the fallback; and a
 * single-threaded process has its code written through /proc/self/mem,
 * which breaks copy-on-write without touching the mapping's protection. */
#include "vma.h"
#include "../rt/rt.h"

struct procmap_query {
	uint64_t size, query_flags, query_addr;
	uint64_t vma_start, vma_end, vma_flags, vma_page_size, vma_offset, inode;
	uint32_t dev_major, dev_minor, vma_name_size, build_id_size;
	uint64_t vma_name_addr, build_id_addr;
};
#define PROCMAP_QUERY 0xc0686611UL /* _IOWR('f', 17, struct procmap_query) */
#define PMQ_READ 0x01
#define PMQ_WRITE 0x02
#define PMQ_EXEC 0x04
#define PMQ_SHARED 0x08
#define PMQ_COVERING_OR_NEXT 0x10

static int no_query; /* the kernel lacks PROCMAP_QUERY: read the text */

static long open_maps(void)
{
	return sys4(SYS_openat, AT_FDCWD, (long)"/proc/self/maps", O_RDONLY | O_CLOEXEC, 0);
}

/* The mapping holding addr (or, with next, the first one above it), and
 * with name its name (size bytes there): 0, -ENOENT when there is none,
 * other -errno when the query failed. */
static long query_named(long fd, unsigned long addr, int next, struct vma *v, char *name, size_t size)
{
	struct procmap_query q;
	memset(&q, 0, sizeof q);
	q.size = sizeof q;
	q.query_addr = addr;
	q.query_flags = next ? PMQ_COVERING_OR_NEXT : 0;
	if (name) {
		q.vma_name_addr = (uint64_t)(unsigned long)name;
		q.vma_name_size = (uint32_t)size;
	}
	long r = sys3(SYS_ioctl, fd, PROCMAP_QUERY, (long)&q);
	if (r < 0)
		return r;
	if (name && !q.vma_name_size)
		name[0] = 0;
	v->lo = q.vma_start;
	v->hi = q.vma_end;
	v->prot = (q.vma_flags & PMQ_READ ? PROT_READ : 0) | (q.vma_flags & PMQ_WRITE ? PROT_WRITE : 0) |
		  (q.vma_flags & PMQ_EXEC ? PROT_EXEC : 0);
	v->shared = !!(q.vma_flags & PMQ_SHARED);
	v->ino = q.inode;
	v->off = q.vma_offset;
	v->dev = (unsigned long)q.dev_major << 20 | q.dev_minor;
	return 0;
}

static long query(long fd, unsigned long addr, int next, struct vma *v)
{
	return query_named(fd, addr, next, v, NULL, 0);
}

/* The same answer from the text of /proc/self/maps. */
static long query_text(long fd, unsigned long addr, struct vma *v)
{
	char buf[2048];
	size_t have = 0;
	for (;;) {
		long n = sys3(SYS_read, fd, (long)(buf + have), sizeof buf - 1 - have);
		if (n <= 0)
			return -ENOENT;
		have += n;
		buf[have] = 0;
		char *line = buf, *nl;
		while ((nl = strchr(line, '\n'))) {
			*nl = 0;
			const char *p = line;
			unsigned long lo = scan_hex(&p, NULL), hi = 0;
			if (*p == '-') {
				p++;
				hi = scan_hex(&p, NULL);
			}
			if (*p == ' ' && addr >= lo && addr < hi && p[1] && p[2] && p[3] && p[4]) {
				v->lo = lo;
				v->hi = hi;
				v->prot = (p[1] == 'r' ? PROT_READ : 0) | (p[2] == 'w' ? PROT_WRITE : 0) |
					  (p[3] == 'x' ? PROT_EXEC : 0);
				v->shared = p[4] != 'p';
				/* "rwxp OFFSET MAJ:MIN INODE" */
				p += 5;
				while (*p == ' ')
					p++;
				v->off = scan_hex(&p, NULL);
				while (*p == ' ')
					p++;
				unsigned long maj = scan_hex(&p, NULL), min = 0;
				if (*p == ':') {
					p++;
					min = scan_hex(&p, NULL);
				}
				v->dev = maj << 20 | min;
				v->ino = 0;
				while (*p == ' ')
					p++;
				while (*p >= '0' && *p <= '9')
					v->ino = v->ino * 10 + (unsigned long)(*p++ - '0');
				return 0;
			}
			line = nl + 1;
		}
		have = buf + have - line;
		memmove(buf, line, have);
		if (have >= sizeof buf - 1)
			have = 0; /* a line longer than the buffer: skip it */
	}
}

long vma_at(unsigned long addr, struct vma *v)
{
	long fd = open_maps();
	if (fd < 0)
		return fd;
	long r = -ENOTTY;
	if (!no_query) {
		r = query(fd, addr, 0, v);
		if (r == -ENOTTY || r == -EINVAL)
			no_query = 1;
	}
	if (no_query)
		r = query_text(fd, addr, v);
	sys1(SYS_close, fd);
	return r;
}

long vma_name_at(unsigned long addr, struct vma *v, char *name, size_t size)
{
	if (no_query)
		return -ENOTTY;
	long fd = open_maps();
	if (fd < 0)
		return fd;
	long r = query_named(fd, addr, 0, v, name, size);
	sys1(SYS_close, fd);
	if (r == -ENOTTY || r == -EINVAL)
		no_query = 1;
	return no_query ? -ENOTTY : r;
}

long vma_map_page(unsigned long addr, int prot)
{
	long p = sys6(SYS_mmap, addr, 4096, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	return p < 0 && p > -4096 ? p : 0;
}

/* The page at c: mapped for the caller (0) when nothing is there, else 1
 * with *v the mapping that holds it, or -errno. */
static long claim(long fd, unsigned long c, int prot, struct vma *v)
{
	long r = query(fd, c, 1, v);
	if (r < 0 && r != -ENOENT)
		return r;
	if (r == 0 && v->lo <= c)
		return 1;
	return vma_map_page(c, prot) == 0 ? 0 : -EEXIST; /* -EEXIST: raced with a mapping */
}

/* Walks the mappings from the site's page down (then up), one query per
 * mapping, to the first free page within the window: a few calls instead
 * of a probe per 64 KiB. */
static long free_page_walk(long fd, unsigned long site, unsigned long lo, unsigned long hi, int prot)
{
	struct vma v;
	long r = -ENOMEM;
	unsigned long c = (site & ~4095UL) - 4096;
	for (int i = 0; i < 64 && c >= lo && c < site && (r = claim(fd, c, prot, &v)) == 1; i++)
		c = v.lo - 4096;
	if (r != 1 && r != -ENOMEM)
		return r == 0 ? (long)c : r;
	r = -ENOMEM;
	c = (site & ~4095UL) + 4096;
	for (int i = 0; i < 64 && c + 4096 <= hi && c > site && (r = claim(fd, c, prot, &v)) == 1; i++)
		c = v.hi;
	return r == 0 ? (long)c : r == 1 ? -ENOMEM : r;
}

long vma_map_near(unsigned long site, unsigned long lo, unsigned long hi, int prot)
{
	if (!no_query) {
		long fd = open_maps();
		if (fd < 0)
			return fd;
		long r = free_page_walk(fd, site, lo, hi, prot);
		sys1(SYS_close, fd);
		if (r >= 0 || (r != -ENOTTY && r != -EINVAL))
			return r;
		no_query = 1;
	}
	/* Without the query: probe every 64 KiB, nearest first, below first. */
	for (long k = 1; k < 4096; k++) {
		for (int dir = -1; dir <= 1; dir += 2) {
			unsigned long c = (site & ~4095UL) + dir * k * 0x10000L;
			if (c < lo || c + 4096 > hi)
				continue;
			long r = vma_map_page(c, prot);
			if (r == 0)
				return (long)c;
			if (r != -EEXIST)
				return r;
		}
	}
	return -ENOMEM;
}

static int no_mem_writes; /* /proc/self/mem refused a write once */

long vma_write_code(unsigned long addr, const void *bytes, size_t n)
{
	if (no_mem_writes)
		return -EPERM;
	long fd = sys4(SYS_openat, AT_FDCWD, (long)"/proc/self/mem", O_RDWR | O_CLOEXEC, 0);
	if (fd < 0) {
		no_mem_writes = 1;
		return fd;
	}
	long r = sys4(SYS_pwrite64, fd, (long)bytes, (long)n, (long)addr);
	sys1(SYS_close, fd);
	if (r == (long)n)
		return 0;
	no_mem_writes = 1;
	return r < 0 ? r : -EIO;
}
