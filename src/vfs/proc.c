/* /proc overlays: links that would name lbw name the guest program. */
#include "vfs.h"
#include "../config.h"
#include "../rt/rt.h"
#include "../sys/dispatch.h"
#include "../trap/vma.h"

const char *vfs_own_proc(const char *path)
{
	if (!starts_with(path, "/proc/"))
		return NULL;
	const char *p = path + 6;
	if (starts_with(p, "self/"))
		return p + 5;
	if (starts_with(p, "thread-self/"))
		return p + 12;
	long pid = 0;
	if (*p < '0' || *p > '9')
		return NULL;
	while (*p >= '0' && *p <= '9')
		pid = pid * 10 + (*p++ - '0');
	if (*p++ != '/' || pid != sys0(SYS_getpid))
		return NULL;
	if (starts_with(p, "task/")) {
		/* /proc/PID/task/TID/... of our own threads */
		p += 5;
		while (*p >= '0' && *p <= '9')
			p++;
		if (*p++ != '/')
			return NULL;
	}
	return p;
}

int vfs_is_self_exe(const char *path)
{
	const char *p = vfs_own_proc(path);
	return p && strcmp(p, "exe") == 0;
}

/* The descriptor number that is all of p: >= 0, else -1 (no number, or
 * one no descriptor can have). */
static long fd_number(const char *p)
{
	long fd = 0;
	if (!*p)
		return -1;
	for (; *p >= '0' && *p <= '9'; p++)
		if ((fd = fd * 10 + (*p - '0')) > 0x7fffffff)
			return -1;
	return *p ? -1 : fd;
}

long vfs_own_fd(const char *path)
{
	const char *p = vfs_own_proc(path);
	if (!p || !starts_with(p, "fd/"))
		return -1;
	return fd_number(p + 3);
}

int vfs_lbw_fd_link(const char *path)
{
	long fd = vfs_own_fd(path);
	/* /dev/fd is the kernel's link to /proc/self/fd (outside a root no
	 * path is walked by lbw; inside one, the walk meets that link) */
	if (fd < 0 && starts_with(path, "/dev/fd/"))
		fd = fd_number(path + 8);
	return fd >= 0 && (fd == cfg.trace_fd || fd == cfg.stats_fd || fd == cfg.report_fd);
}

/* lbw's own file, as the kernel names it (the exe link of any process lbw
 * runs). */
static char lbw_file[4096] LBW_BIG_BSS;

static const char *lbw_host_file(void)
{
	if (!lbw_file[0]) {
		long n = sys3(SYS_readlink, (long)"/proc/self/exe", (long)lbw_file, sizeof lbw_file - 1);
		lbw_file[n > 0 ? n : 0] = 0;
	}
	return lbw_file;
}

/* Reads what the file holds (up to size - 1 bytes, NUL-terminated). */
static long read_file(const char *path, char *buf, size_t size)
{
	long fd = sys3(SYS_openat, AT_FDCWD, (long)path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fd;
	size_t n = 0;
	long r = 1;
	while (n + 1 < size && (r = sys3(SYS_read, fd, (long)(buf + n), size - 1 - n)) > 0)
		n += (size_t)r;
	sys1(SYS_close, fd);
	buf[n] = 0;
	return r < 0 ? r : (long)n;
}

/* Which mapping of /proc/<pid>/maps (pid "self" or digits) a lookup wants:
 * the one holding addr, or the first of the file dev:ino (a stat's st_dev). */
struct map_want {
	unsigned long addr;
	uint64_t dev, ino;
};

/* A device's major and minor numbers as a stat's st_dev holds them (the
 * kernel's new_encode_dev). */
static uint64_t st_dev_of(unsigned long maj, unsigned long min)
{
	return (min & 0xff) | (maj << 8) | ((min & ~0xffUL) << 12);
}

static int map_matches(const struct map_want *w, unsigned long lo, unsigned long hi, const char *rest)
{
	if (!w->ino)
		return w->addr >= lo && w->addr < hi;
	/* rest: " perms offset MAJ:MIN inode ..." */
	const char *q = rest;
	for (int field = 0; field < 2; field++) {
		while (*q == ' ')
			q++;
		while (*q && *q != ' ')
			q++;
	}
	while (*q == ' ')
		q++;
	unsigned long maj = scan_hex(&q, NULL), min = 0, ino = 0;
	if (*q++ != ':')
		return 0;
	min = scan_hex(&q, NULL);
	while (*q == ' ')
		q++;
	while (*q >= '0' && *q <= '9')
		ino = ino * 10 + (unsigned long)(*q++ - '0');
	return ino == w->ino && st_dev_of(maj, min) == w->dev;
}

/* The file of the wanted mapping, as the kernel names it (what readlink of
 * its map_files entry says: the maps text escapes a newline): 1, or 0 when
 * there is none. */
static int mapped_file(const char *pid, size_t pidlen, const struct map_want *w, char *out, size_t size)
{
	char path[96];
	lbw_snprintf(path, sizeof path, "/proc/%.*s/maps", (int)pidlen, pid);
	size_t cap = 1 << 20;
	char *maps = lbw_alloc(cap);
	if (!maps)
		return 0;
	int found = 0;
	if (read_file(path, maps, cap) > 0) {
		for (const char *l = maps; *l && !found; l = strchr(l, '\n'), l = l ? l + 1 : "") {
			const char *q = l;
			unsigned long lo = scan_hex(&q, NULL);
			if (*q++ != '-')
				break;
			unsigned long hi = scan_hex(&q, NULL);
			if (!map_matches(w, lo, hi, q))
				continue;
			/* (maps pads the addresses to 8 digits; map_files does not) */
			lbw_snprintf(path, sizeof path, "/proc/%.*s/map_files/%lx-%lx", (int)pidlen, pid, lo, hi);
			long n = sys3(SYS_readlink, (long)path, (long)out, size - 1);
			if (n > 0) {
				out[n] = 0;
				found = 1;
				break;
			}
			const char *f = strchr(q, '/'), *e = strchr(q, '\n');
			if (!f || (e && f > e))
				break; /* (no file there) */
			size_t fl = e ? (size_t)(e - f) : strlen(f);
			if (fl < size) {
				memcpy(out, f, fl);
				out[fl] = 0;
				found = 1;
			}
		}
	}
	lbw_free(maps);
	return found;
}

int vfs_other_exe(const char *link, char *out, size_t size)
{
	/* /proc/PID/exe or /proc/PID/task/TID/exe, PID not this process */
	if (!starts_with(link, "/proc/") || vfs_is_self_exe(link))
		return 0;
	const char *p = link + 6;
	if (*p < '0' || *p > '9')
		return 0;
	const char *pid = p;
	while (*p >= '0' && *p <= '9')
		p++;
	size_t pidlen = (size_t)(p - pid);
	if (*p != '/')
		return 0;
	const char *tail = strrchr(p, '/');
	if (strcmp(tail, "/exe") || (tail != p && !starts_with(p, "/task/")))
		return 0;
	char t[4096];
	long n = sys3(SYS_readlink, (long)link, (long)t, sizeof t - 1);
	if (n <= 0)
		return 0;
	t[n] = 0;
	if (strcmp(t, lbw_host_file()))
		return 0; /* not a process of lbw's */
	/* The guest's program headers (AT_PHDR) lie in its program's file. */
	char path[64];
	unsigned long auxv[128];
	lbw_snprintf(path, sizeof path, "/proc/%.*s/auxv", (int)pidlen, pid);
	long an = read_file(path, (char *)auxv, sizeof auxv);
	unsigned long phdr = 0;
	for (long i = 0; an > 0 && i + 1 < an / 8; i += 2)
		if (auxv[i] == 3 /* AT_PHDR */)
			phdr = auxv[i + 1];
	struct map_want w = {phdr, 0, 0};
	return phdr && mapped_file(pid, pidlen, &w, out, size);
}

/* The running image's file is found each time it is asked for, from a
 * mapping of it (the program's device and inode, whatever the program has
 * mapped where), named as the kernel's exe link names it: a file renamed
 * since by its new name (static glibc asks at start-up, so no answer is
 * kept). A canonical path at each exec cost a readlink of a /proc fd link,
 * ~40 us on the VMs lbw is measured on, for a name few programs ask for. */
void vfs_self_exe_host(char *out, size_t size)
{
	/* Where lbw mapped the program's headers, if that mapping is still the
	 * program's file: one PROCMAP_QUERY (Linux 6.11) names it, instead of
	 * the maps text read whole and a readlink of map_files. */
	struct vma v;
	char name[4096]; /* (out may be cfg.exe_host, the fallback's) */
	/* (vma.c's dev is major << 20 | minor) */
	if (cfg.guest_ino && cfg.guest_phdr && vma_name_at(cfg.guest_phdr, &v, name, sizeof name) == 0 &&
	    v.ino == cfg.guest_ino && st_dev_of(v.dev >> 20, v.dev & 0xfffff) == cfg.guest_dev &&
	    name[0] == '/' && strlen(name) < size) {
		strlcpy(out, name, size);
		return;
	}
	struct map_want w = {0, cfg.guest_dev, cfg.guest_ino};
	if ((!cfg.guest_ino || !mapped_file("self", 4, &w, out, size)) && out != cfg.exe_host)
		strlcpy(out, cfg.exe_host, size); /* (all unmapped: the path it was loaded by) */
}

int vfs_self_exe(char *out, size_t size)
{
	char host[4096], guest[4096];
	vfs_self_exe_host(host, sizeof host);
	if (!host[0])
		return 0;
	vfs_host_to_guest(host, guest, sizeof guest);
	if (!guest[0] || strlen(guest) >= size)
		return 0;
	strlcpy(out, guest, size);
	return 1;
}
