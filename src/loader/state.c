/* The LBW_STATE entry: "LBW_STATE=1;key=value;...", strings in hex so that
 * no byte of a path can break the format. */
#include "state.h"
#include "loader.h"
#include "../config.h"
#include "../rt/rt.h"
#include "../vfs/vfs.h"
#include "../fake/fake.h"
#include "../sig/sig.h"

struct sbuf {
	char *p;
	size_t size, len;
};

static void add(struct sbuf *b, const char *s)
{
	size_t n = strlen(s);
	if (b->len + n < b->size)
		memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void add_num(struct sbuf *b, const char *key, long v)
{
	char tmp[48];
	lbw_snprintf(tmp, sizeof tmp, ";%s=%ld", key, v);
	add(b, tmp);
}

/* Raw bytes, as hex. */
static void add_bytes(struct sbuf *b, const char *key, const void *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char tmp[8];
	lbw_snprintf(tmp, sizeof tmp, ";%s=", key);
	add(b, tmp);
	for (const unsigned char *q = p; n--; q++) {
		char h[3] = {hex[*q >> 4], hex[*q & 15], 0};
		add(b, h);
	}
}

static void add_str(struct sbuf *b, const char *key, const char *s)
{
	add_bytes(b, key, s, strlen(s));
}

long state_encode(char *buf, size_t size, const struct exec_plan *p)
{
	struct sbuf b = {buf, size, 0};
	add(&b, STATE_PREFIX "1");
	add_num(&b, "t", cfg.trace_fd);
	add_num(&b, "s", cfg.stats_fd);
	add_num(&b, "o", cfg.report_fd);
	add_num(&b, "r", cfg.root_pid);
	add_num(&b, "n", cfg.no_rewrite);
	if (cfg.self_ino) {
		uint64_t self[2] = {cfg.self_dev, cfg.self_ino};
		add_bytes(&b, "x", self, sizeof self);
	}
	uint64_t ign = sig_ignored_mask(task_current());
	add_bytes(&b, "i", &ign, sizeof ign);
	/* The guest's mask bits of SIGSYS, SIGSEGV and SIGBUS are lbw's alone
	 * (the host never blocks them): the kernel would keep the mask, and
	 * the signals pending, across execve. */
	const struct task *t = task_current();
	if (t->vmask)
		add_num(&b, "y", (long)t->vmask);
	if (p->has_sigmask)
		add_bytes(&b, "m", &p->sigmask, sizeof p->sigmask);
	for (uint64_t m = t->vheld; m; m &= m - 1)
		add_bytes(&b, "Y", &t->pending_info[__builtin_ctzll(m) + 1], sizeof(k_siginfo_t));
	add_str(&b, "u", cfg.uname_release);
	add_str(&b, "l", p->load);
	if (p->pinned_fd >= 0)
		add_num(&b, "c", p->pinned_fd);
	add_str(&b, "f", p->execfn);
	add_str(&b, "R", vfs.root);
	if (fake.on)
		add_bytes(&b, "Z", &fake, sizeof fake);
	for (int i = 0; i < vfs.nbinds; i++) {
		add_str(&b, "B", vfs.binds[i].host);
		add_str(&b, "G", vfs.binds[i].guest);
		if (vfs.binds[i].made)
			add_num(&b, "M", 1); /* (the bind before it) */
	}
	if (b.len >= size)
		return -E2BIG;
	buf[b.len] = 0;
	return (long)b.len;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decodes hex from s (up to ';' or end) into out; returns the end of s. */
static const char *get_str(const char *s, char *out, size_t size)
{
	size_t n = 0;
	while (*s && *s != ';') {
		int hi = hexval(s[0]), lo = s[1] ? hexval(s[1]) : -1;
		if (hi < 0 || lo < 0)
			break;
		if (n + 1 < size)
			out[n++] = (char)(hi << 4 | lo);
		s += 2;
	}
	out[n] = 0;
	while (*s && *s != ';')
		s++;
	return s;
}

/* Exactly n raw bytes, as add_bytes wrote them; 0 or -EINVAL. */
static long get_bytes(const char *s, void *out, size_t n)
{
	unsigned char *q = out;
	for (size_t i = 0; i < n; i++, s += 2) {
		int hi = hexval(s[0]), lo = hi < 0 ? -1 : hexval(s[1]);
		if (lo < 0)
			return -EINVAL;
		q[i] = (unsigned char)(hi << 4 | lo);
	}
	return *s && *s != ';' ? -EINVAL : 0;
}

static const char *get_num(const char *s, long *v)
{
	int neg = 0;
	long x = 0;
	if (*s == '-')
		neg = 1, s++;
	while (*s >= '0' && *s <= '9')
		x = x * 10 + (*s++ - '0');
	*v = neg ? -x : x;
	while (*s && *s != ';')
		s++;
	return s;
}

long state_decode(const char *s, char *load, char *execfn, size_t pathsize)
{
	if (!starts_with(s, STATE_PREFIX "1"))
		return -EINVAL;
	s += sizeof(STATE_PREFIX "1") - 1;
	load[0] = execfn[0] = 0;
	while (*s == ';') {
		char key = s[1];
		if (!key || s[2] != '=')
			return -EINVAL;
		s += 3;
		long v;
		switch (key) {
		case 't': s = get_num(s, &v); cfg.trace_fd = (int)v; break;
		case 's': s = get_num(s, &v); cfg.stats_fd = (int)v; break;
		case 'o': s = get_num(s, &v); cfg.report_fd = (int)v; break;
		case 'r': s = get_num(s, &v); cfg.root_pid = (int)v; break;
		case 'n': s = get_num(s, &v); cfg.no_rewrite = (int)v; break;
		case 'x': {
			uint64_t self[2];
			if (get_bytes(s, self, sizeof self) < 0)
				return -EINVAL;
			s += 2 * sizeof self;
			cfg.self_dev = self[0];
			cfg.self_ino = self[1];
			break;
		}
		case 'c': s = get_num(s, &v); loader_pinned_fd = (int)v; break;
		case 'i':
		case 'm': {
			uint64_t m;
			if (get_bytes(s, &m, sizeof m) < 0)
				return -EINVAL;
			s += 2 * sizeof m;
			if (key == 'i')
				sig_inherit_ignored(m);
			else
				sig_inherit_mask(m);
			break;
		}
		case 'y': s = get_num(s, &v); sig_inherit_vmask((uint64_t)v); break;
		case 'Y': {
			k_siginfo_t si;
			if (get_bytes(s, &si, sizeof si) < 0)
				return -EINVAL;
			s += 2 * sizeof si;
			sig_inherit_held(&si);
			break;
		}
		case 'u': s = get_str(s, cfg.uname_release, sizeof cfg.uname_release); break;
		case 'l': s = get_str(s, load, pathsize); break;
		case 'f': s = get_str(s, execfn, pathsize); break;
		case 'R': s = get_str(s, vfs.root, sizeof vfs.root); break;
		case 'Z':
			/* fake root's state, byte for byte (same lbw on both sides) */
			if (get_bytes(s, &fake, sizeof fake) < 0)
				return -EINVAL;
			s += 2 * sizeof fake;
			break;
		case 'M':
			s = get_num(s, &v);
			if (vfs.nbinds > 0)
				vfs.binds[vfs.nbinds - 1].made = 1;
			break;
		case 'B':
		case 'G': {
			/* binds come in B, G pairs */
			char tmp[VFS_PATH_MAX];
			s = get_str(s, tmp, sizeof tmp);
			char *copy = lbw_alloc(strlen(tmp) + 1);
			if (!copy || vfs.nbinds >= VFS_MAX_BINDS)
				return -EINVAL;
			strlcpy(copy, tmp, strlen(tmp) + 1);
			if (key == 'B')
				vfs.binds[vfs.nbinds].host = copy;
			else
				vfs.binds[vfs.nbinds++].guest = copy;
			break;
		}
		default:
			while (*s && *s != ';')
				s++;
		}
	}
	return *s ? -EINVAL : 0;
}
