/* User and group ids. Passed to the host, except under fake root (-0),
 * where the guest's ids are lbw's (fake/ids.c). */
#include "table.h"
#include "../rt/rt.h"
#include "../task.h"
#include "../fake/fake.h"

long sys_pass(struct task *t, struct sc *c);

#define ID_GET(name, field)                                  \
	long sys_##name(struct task *t, struct sc *c)            \
	{                                                        \
		return fake.on ? (long)fake.c.field : sys_pass(t, c); \
	}

ID_GET(getuid, ruid)
ID_GET(geteuid, euid)
ID_GET(getgid, rgid)
ID_GET(getegid, egid)

static long put3(const struct sc *c, uint32_t r, uint32_t e, uint32_t s)
{
	uint32_t v[3] = {r, e, s};
	for (int i = 0; i < 3; i++)
		if (copy_to_guest((void *)c->a[i], &v[i], 4) < 0)
			return -EFAULT;
	return 0;
}

long sys_getresuid(struct task *t, struct sc *c)
{
	if (!fake.on)
		return sys_pass(t, c);
	return put3(c, fake.c.ruid, fake.c.euid, fake.c.suid);
}

long sys_getresgid(struct task *t, struct sc *c)
{
	if (!fake.on)
		return sys_pass(t, c);
	return put3(c, fake.c.rgid, fake.c.egid, fake.c.sgid);
}

long sys_setuid(struct task *t, struct sc *c) { return fake.on ? fake_setuid(c->a[0]) : sys_pass(t, c); }
long sys_setgid(struct task *t, struct sc *c) { return fake.on ? fake_setgid(c->a[0]) : sys_pass(t, c); }
long sys_setfsuid(struct task *t, struct sc *c) { return fake.on ? fake_setfsuid(c->a[0]) : sys_pass(t, c); }
long sys_setfsgid(struct task *t, struct sc *c) { return fake.on ? fake_setfsgid(c->a[0]) : sys_pass(t, c); }

long sys_setreuid(struct task *t, struct sc *c)
{
	return fake.on ? fake_setreuid(c->a[0], c->a[1]) : sys_pass(t, c);
}

long sys_setregid(struct task *t, struct sc *c)
{
	return fake.on ? fake_setregid(c->a[0], c->a[1]) : sys_pass(t, c);
}

long sys_setresuid(struct task *t, struct sc *c)
{
	return fake.on ? fake_setresuid(c->a[0], c->a[1], c->a[2]) : sys_pass(t, c);
}

long sys_setresgid(struct task *t, struct sc *c)
{
	return fake.on ? fake_setresgid(c->a[0], c->a[1], c->a[2]) : sys_pass(t, c);
}

long sys_getgroups(struct task *t, struct sc *c)
{
	if (!fake.on)
		return sys_pass(t, c);
	int size = (int)c->a[0];
	uint32_t n = fake.c.ngroups;
	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return n;
	if ((uint32_t)size < n)
		return -EINVAL;
	if (copy_to_guest((void *)c->a[1], fake.c.groups, n * 4) < 0)
		return -EFAULT;
	return n;
}

long sys_setgroups(struct task *t, struct sc *c)
{
	if (!fake.on)
		return sys_pass(t, c);
	int n = (int)c->a[0];
	uint32_t list[FAKE_NGROUPS];
	if (n > 0 && n <= FAKE_NGROUPS && copy_from_guest(list, (void *)c->a[1], (size_t)n * 4) < 0)
		return -EFAULT;
	return fake_setgroups(n, list);
}
