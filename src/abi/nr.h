/* Syscall numbers, derived from the one table (sys/syscalls.def). */
#ifndef LBW_ABI_NR_H
#define LBW_ABI_NR_H

enum {
#define SC(nr, name, st, ret, n, a1, a2, a3, a4, a5, a6, note) SYS_##name = nr,
#include "../sys/syscalls.def"
#undef SC
};

#endif
