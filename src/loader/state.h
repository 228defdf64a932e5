/* lbw's state, handed from one image to the next across execve in the
 * environment entry LBW_STATE (stripped from the guest's environment). */
#ifndef LBW_LOADER_STATE_H
#define LBW_LOADER_STATE_H

#include <stddef.h>

struct exec_plan;

#define STATE_MAX 16384
#define STATE_PREFIX "LBW_STATE="

/* Writes "LBW_STATE=..." for cfg and the plan into buf; length or -E2BIG. */
long state_encode(char *buf, size_t size, const struct exec_plan *p);
/* Reads cfg and the image to load back; 0 or -EINVAL. */
long state_decode(const char *s, char *load, char *execfn, size_t pathsize);

#endif
