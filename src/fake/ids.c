/* The guest's virtual credentials under fake root. The rules are the
 * kernel's (kernel/sys.c): an effective uid of 0 may set anything, anyone
 * else only to ids it already holds. apt relies on this: after dropping to
 * _apt it checks that it can no longer become root again. */
#include "fake.h"
#include "../rt/rt.h"

struct fake fake;

void fake_enable(void)
{
	fake.on = 1;
	fake.host_uid = (uint32_t)sys0(SYS_getuid);
	fake.host_gid = (uint32_t)sys0(SYS_getgid);
	memset(&fake.c, 0, sizeof fake.c);
	fake.c.ngroups = 1;
	fake.c.groups[0] = 0;
}

static int privileged(void)
{
	return fake.c.euid == 0;
}

/* -1 (as the 32-bit id the kernel reads) means "leave unchanged". */
static int keep(long id)
{
	return (uint32_t)id == (uint32_t)-1;
}

static int holds(uint32_t id, uint32_t a, uint32_t b, uint32_t c)
{
	return id == a || id == b || id == c;
}

static long setres(uint32_t *r, uint32_t *e, uint32_t *s, uint32_t *fs, long nr, long ne, long ns)
{
	if (!privileged()) {
		if (!keep(nr) && !holds((uint32_t)nr, *r, *e, *s))
			return -EPERM;
		if (!keep(ne) && !holds((uint32_t)ne, *r, *e, *s))
			return -EPERM;
		if (!keep(ns) && !holds((uint32_t)ns, *r, *e, *s))
			return -EPERM;
	}
	if (!keep(nr))
		*r = (uint32_t)nr;
	if (!keep(ne))
		*e = (uint32_t)ne;
	if (!keep(ns))
		*s = (uint32_t)ns;
	*fs = *e;
	return 0;
}

long fake_setresuid(long r, long e, long s)
{
	struct fake_creds *c = &fake.c;
	return setres(&c->ruid, &c->euid, &c->suid, &c->fsuid, r, e, s);
}

long fake_setresgid(long r, long e, long s)
{
	struct fake_creds *c = &fake.c;
	return setres(&c->rgid, &c->egid, &c->sgid, &c->fsgid, r, e, s);
}

/* setreuid: the saved id follows the new effective one when the real id
 * is set or the effective one moves away from the old real id. */
static long setre(uint32_t *r, uint32_t *e, uint32_t *s, uint32_t *fs, long nr, long ne)
{
	uint32_t old_r = *r;
	if (!privileged()) {
		if (!keep(nr) && (uint32_t)nr != *r && (uint32_t)nr != *e)
			return -EPERM;
		if (!keep(ne) && !holds((uint32_t)ne, *r, *e, *s))
			return -EPERM;
	}
	if (!keep(nr))
		*r = (uint32_t)nr;
	if (!keep(ne))
		*e = (uint32_t)ne;
	if (!keep(nr) || (!keep(ne) && (uint32_t)ne != old_r))
		*s = *e;
	*fs = *e;
	return 0;
}

long fake_setreuid(long r, long e)
{
	struct fake_creds *c = &fake.c;
	return setre(&c->ruid, &c->euid, &c->suid, &c->fsuid, r, e);
}

long fake_setregid(long r, long e)
{
	struct fake_creds *c = &fake.c;
	return setre(&c->rgid, &c->egid, &c->sgid, &c->fsgid, r, e);
}

/* setuid: root sets all three; others only the effective one, to their
 * real or saved id. */
static long set1(uint32_t *r, uint32_t *e, uint32_t *s, uint32_t *fs, long n)
{
	if (keep(n))
		return -EINVAL;
	if (privileged()) {
		*r = *e = *s = *fs = (uint32_t)n;
		return 0;
	}
	if ((uint32_t)n != *r && (uint32_t)n != *s)
		return -EPERM;
	*e = *fs = (uint32_t)n;
	return 0;
}

long fake_setuid(long u)
{
	struct fake_creds *c = &fake.c;
	return set1(&c->ruid, &c->euid, &c->suid, &c->fsuid, u);
}

long fake_setgid(long g)
{
	struct fake_creds *c = &fake.c;
	return set1(&c->rgid, &c->egid, &c->sgid, &c->fsgid, g);
}

/* setfs[ug]id returns the old value whether or not it changed anything. */
static long setfs(uint32_t r, uint32_t e, uint32_t s, uint32_t *fs, long n)
{
	uint32_t old = *fs;
	if (!keep(n) && (privileged() || holds((uint32_t)n, r, e, s) || (uint32_t)n == *fs))
		*fs = (uint32_t)n;
	return old;
}

long fake_setfsuid(long u)
{
	struct fake_creds *c = &fake.c;
	return setfs(c->ruid, c->euid, c->suid, &c->fsuid, u);
}

long fake_setfsgid(long g)
{
	struct fake_creds *c = &fake.c;
	return setfs(c->rgid, c->egid, c->sgid, &c->fsgid, g);
}

long fake_setgroups(long n, const uint32_t *list)
{
	if (!privileged())
		return -EPERM;
	if (n < 0 || n > 65536)
		return -EINVAL;
	if (n > FAKE_NGROUPS)
		return -ENOMEM; /* lbw keeps fewer than the kernel's 65536 */
	for (long i = 0; i < n; i++)
		fake.c.groups[i] = list[i];
	fake.c.ngroups = (uint32_t)n;
	return 0;
}
