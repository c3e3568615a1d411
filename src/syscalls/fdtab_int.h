/* fdtab_int.h -- shared by the fd-table model's files (fdtab*.c); not
 * part of its interface (fdtab.h). */
#ifndef SCRIBE_FDTAB_INT_H
#define SCRIBE_FDTAB_INT_H

#include "syscalls/fdtab.h"

struct fdt_task {
	int tid;
	struct fdt_table *tab;
	char *cwd;                 /* to make relative paths absolute */
};

struct fdt_desc *fdt_desc_new(struct fdtab *m, enum fdt_type type);
void fdt_desc_put(struct fdt_desc *d);
struct fdt_task *fdt_task_find(struct fdtab *m, int tid);
struct fdt_task *fdt_task_get(struct fdtab *m, int tid);
struct fdt_fd *fdt_lookup(struct fdt_table *tb, int fd);
/* Put d at fd (closing what was there); d gains a reference. */
void fdt_install(struct fdt_table *tb, int fd, struct fdt_desc *d, int fdflags);
void fdt_close(struct fdt_table *tb, int fd);
/* A socket's local and peer addresses, as the kernel had them (a length
 * of 0 leaves that one as it was). */
void fdtab_set_names(struct fdt_desc *d, const void *local, size_t llen, const void *peer,
                     size_t plen);
/* fdtab_type_name's inverse (FDT_UNKNOWN for any other word). */
enum fdt_type fdt_type_of(const char *name);

#endif
