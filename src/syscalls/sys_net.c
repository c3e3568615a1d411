/* sys_net.c -- out-memory of the message-based socket calls. */
#include <stddef.h>

#include "core/util.h"
#include "syscalls/table.h"

/* struct msghdr and struct mmsghdr as the x86-64 kernel lays them out. */
struct k_msghdr {
	uint64_t name;
	uint32_t namelen, pad0;
	uint64_t iov, iovlen, control, controllen;
	int32_t flags, pad1;
};
struct k_mmsghdr {
	struct k_msghdr hdr;
	uint32_t len, pad;
};

/* The kernel updates namelen, controllen and flags in the header, fills
 * the name, the control data and `bytes` of payload. */
static void capture_msg(struct capture *cap, uint64_t addr, uint64_t bytes)
{
	struct k_msghdr m;
	if (cap->read(cap->ctx, addr, &m, sizeof(m)) != sizeof(m))
		return;
	cap->region(cap->ctx, addr, sizeof(m));
	if (m.name && m.namelen)
		cap->region(cap->ctx, m.name, MIN(m.namelen, 128u));
	if (m.control && m.controllen)
		cap->region(cap->ctx, m.control, MIN(m.controllen, 65536u));
	sys_capture_iov(cap, m.iov, MIN(m.iovlen, 1024u), bytes);
}

void sys_out_recvmsg(struct capture *cap, const uint64_t args[6], int64_t ret)
{
	if (ret >= 0)
		capture_msg(cap, args[1], ret);
}

/* sendmsg writes nothing; its header and control data (the kernel only
 * reads them: the same bytes, harmless to write back) are kept when it
 * passes something there, for the fd tables' SCM_RIGHTS (fdtab.h). */
void sys_out_sendmsg(struct capture *cap, const uint64_t args[6], int64_t ret)
{
	struct k_msghdr m;
	if (ret < 0 || cap->read(cap->ctx, args[1], &m, sizeof(m)) != sizeof(m) || !m.control ||
	    !m.controllen)
		return;
	cap->region(cap->ctx, args[1], sizeof(m));
	cap->region(cap->ctx, m.control, MIN(m.controllen, 65536u));
}

void sys_out_recvmmsg(struct capture *cap, const uint64_t args[6], int64_t ret)
{
	for (int64_t i = 0; i < ret && i < 1024; i++) {
		uint64_t at = args[1] + i * sizeof(struct k_mmsghdr);
		uint32_t len;
		if (cap->read(cap->ctx, at + offsetof(struct k_mmsghdr, len), &len, 4) != 4)
			return;
		cap->region(cap->ctx, at + offsetof(struct k_mmsghdr, len), 4);
		capture_msg(cap, at, len);
	}
}

void sys_out_sendmmsg(struct capture *cap, const uint64_t args[6], int64_t ret)
{
	for (int64_t i = 0; i < ret && i < 1024; i++)
		cap->region(cap->ctx, args[1] + i * sizeof(struct k_mmsghdr) +
		            offsetof(struct k_mmsghdr, len), 4);
}
