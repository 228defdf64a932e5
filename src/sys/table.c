/* The syscall table itself, expanded from syscalls.def: one sc_info per
 * number, indexed by number, holes left zeroed (empty name); and the
 * handlers, as a switch (a jump table of relative offsets: nothing for
 * lbw to relocate). */
#include "table.h"
#include "../task.h"

/* Defined in dispatch.c: the handlers of PASS and NOSYS rows. */
long sys_pass(struct task *t, struct sc *c);
long sys_nosys(struct task *t, struct sc *c);

#define SC_FN_PASS(name) sys_pass
#define SC_FN_NOSYS(name) sys_nosys
#define SC_FN_EMU(name) sys_##name
#define SC_FN_PATH(name) sys_##name
#define SC_FN_FAKE(name) sys_##name
#define SC_FN_OWNER(name) sys_##name

#define SC(nr, name, st, ret, n, a1, a2, a3, a4, a5, a6, note) \
	[nr] = { #name, ST_##st, ret, n, { a1, a2, a3, a4, a5, a6 } },
const struct sc_info sc_table[SC_MAX] = {
#include "syscalls.def"
};
#undef SC

long sc_call(struct task *t, struct sc *c)
{
	switch (c->nr) {
#define SC(nr, name, st, ret, n, a1, a2, a3, a4, a5, a6, note) \
	case nr: return SC_FN_##st(name)(t, c);
#include "syscalls.def"
#undef SC
	}
	return -ENOSYS;
}

/* A number given twice must not compile. A repeated designated initializer
 * would only warn (and the later row would win silently), so each row also
 * declares an enumerator named after its number: a second row with the same
 * number redeclares it, which is an error. Names are kept unique the same
 * way by the SYS_<name> enum in abi/nr.h. Each row must also fit the table. */
#define SC(nr, name, st, ret, n, a1, a2, a3, a4, a5, a6, note) SC_ROW_##nr = (nr),
enum sc_row_numbers {
#include "syscalls.def"
};
#undef SC

#define SC(nr, name, st, ret, n, a1, a2, a3, a4, a5, a6, note) \
	_Static_assert((nr) >= 0 && (nr) < SC_MAX, "syscall number out of range: " #name); \
	_Static_assert((n) <= 6, "more than 6 arguments: " #name); \
	_Static_assert(sizeof #name <= SC_NAME_MAX, "name too long: " #name);
#include "syscalls.def"
#undef SC
