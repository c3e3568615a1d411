/* uffd_user: a program with a userfaultfd of its own, registered on a
 * mapping made before its first thread (so scribe tracks writes to it,
 * core/dirty.h, with a userfaultfd of scribe's).  The kernel lets one
 * userfaultfd have a mapping at a time: the program's registration must
 * succeed recorded as natively. */
#include "testutil.h"

#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *idle(void *arg)
{
	return arg;
}

int main(void)
{
	size_t len = 16 * 4096;
	char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return 1;
	memset(m, 1, len);
	pthread_t th;
	pthread_create(&th, NULL, idle, NULL);
	pthread_join(th, NULL);
	m[5] = 2;
	long fd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	printf("userfaultfd: %s\n", en(fd));
	if (fd < 0)
		return 0;
	struct uffdio_api api = { .api = UFFD_API };
	printf("api: %s\n", en(ioctl((int)fd, UFFDIO_API, &api)));
	struct uffdio_register reg = { .range = { (uint64_t)(uintptr_t)m, len },
	                               .mode = UFFDIO_REGISTER_MODE_MISSING };
	printf("register: %s\n", en(ioctl((int)fd, UFFDIO_REGISTER, &reg)));
	struct uffdio_range range = { (uint64_t)(uintptr_t)m, len };
	printf("unregister: %s\n", en(ioctl((int)fd, UFFDIO_UNREGISTER, &range)));
	printf("sum %d\n", m[0] + m[5] + m[len - 1]);
	return 0;
}
