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
/* The task's table becomes its own copy if it shares it (exec,
 * close_range's CLOSE_RANGE_UNSHARE). */
void fdt_unshare(struct fdt_task *t);
/* A socket's local and peer addresses, as the kernel had them (a length
 * of 0 leaves that one as it was). */
void fdtab_set_names(struct fdt_desc *d, const void *local, size_t llen, const void *peer,
                     size_t plen);
/* fdtab_type_name's inverse (FDT_UNKNOWN for any other word). */
enum fdt_type fdt_type_of(const char *name);


/* ---- one syscall being applied (fdtab_call.c, fdtab_sock.c,
 * fdtab_anon.c) ---- */
struct fdt_ctx {
	struct fdtab *m;
	struct fdt_task *t;
	struct fdt_table *tb;
	const struct fdt_call *c;
	const uint64_t *a;         /* c->args */
};
/* Memory the call wrote (a region) or handed in (c->in), or NULL. */
const void *fdt_mem(const struct fdt_ctx *x, uint64_t addr, size_t len);
struct fdt_desc *fdt_desc_of(const struct fdt_ctx *x, uint64_t fd);
/* path made absolute from the task's cwd, or dirfd's path (malloc'd). */
char *fdt_abs_path(const struct fdt_ctx *x, int64_t dirfd, const char *path);
/* Install a new description at fd, made by this call. */
struct fdt_desc *fdt_add(const struct fdt_ctx *x, int64_t fd, enum fdt_type type, int flags,
                         bool cloexec);
/* fdtab_sock.c */
void fdt_sock_init(struct fdt_desc *d, uint64_t family, uint64_t type, uint64_t proto);
void fdt_set_addr(struct sockaddr_storage *ss, socklen_t *len, const void *p, size_t n);
bool fdt_addr_out(const struct fdt_ctx *x, uint64_t addr, uint64_t lenp,
                  struct sockaddr_storage *ss, socklen_t *len);
void fdt_accept(const struct fdt_ctx *x, uint64_t flags);
void fdt_setsockopt(const struct fdt_ctx *x);
void fdt_sendmsg(const struct fdt_ctx *x);
void fdt_recvmsg(const struct fdt_ctx *x);
/* fdtab_anon.c */
void fdt_eventfd_rw(const struct fdt_ctx *x, struct fdt_desc *d, bool rd);
void fdt_epoll_ctl(const struct fdt_ctx *x);
void fdt_signalfd(const struct fdt_ctx *x, uint64_t flags);
void fdt_timerfd_settime(const struct fdt_ctx *x);
void fdt_inotify_watch(const struct fdt_ctx *x);
void fdt_inotify_rm(const struct fdt_ctx *x);

#endif
