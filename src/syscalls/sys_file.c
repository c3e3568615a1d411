/* sys_file.c -- out-memory of the file-family calls that a table row cannot
 * describe: vectored reads, ioctl, fcntl, mincore. */
#include <linux/fs.h>
#include <sys/uio.h>
#include <unistd.h>

#include "core/util.h"
#include "syscalls/table.h"

void sys_capture_iov(struct capture *cap, uint64_t iov, uint64_t cnt, uint64_t ret)
{
	struct iovec v[64];
	uint64_t done = 0;
	while (cnt && ret) {
		size_t n = MIN(cnt, ARRAY_SIZE(v));
		if (cap->read(cap->ctx, iov + done * sizeof(*v), v, n * sizeof(*v)) !=
		    (long)(n * sizeof(*v)))
			return;
		for (size_t i = 0; i < n && ret; i++) {
			uint64_t k = MIN((uint64_t)v[i].iov_len, ret);
			if (k)
				cap->region(cap->ctx, (uint64_t)v[i].iov_base, k);
			ret -= k;
		}
		cnt -= n;
		done += n;
	}
}

void sys_out_readv(struct capture *cap, const uint64_t args[6], int64_t ret)
{
	if (ret > 0)
		sys_capture_iov(cap, args[1], MIN(args[2], 1024u), ret);
}

/* Terminal and socket ioctls predate the _IOC size encoding, so the ones
 * programs commonly issue are listed with their out sizes; everything
 * encoded with _IOC_READ carries its size in the request number. */
static const struct { unsigned long req; unsigned size; } ioctl_out[] = {
	{ 0x5401, 36 },  /* TCGETS: struct termios */
	{ 0x5413, 8 },   /* TIOCGWINSZ: struct winsize */
	{ 0x541B, 4 },   /* FIONREAD */
	{ 0x540F, 4 },   /* TIOCGPGRP */
	{ 0x5429, 4 },   /* TIOCGSID */
	{ 0x5411, 4 },   /* TIOCOUTQ */
	{ 0x5424, 4 },   /* TIOCGETD */
	{ 0x5415, 4 },   /* TIOCMGET */
	{ 0x8910, 40 },  /* SIOCGIFNAME */
	{ 0x8912, 16 },  /* SIOCGIFCONF: struct ifconf, and its buffer below */
	{ 0x8913, 40 },  /* SIOCGIFFLAGS */
	{ 0x8915, 40 },  /* SIOCGIFADDR */
	{ 0x8921, 40 },  /* SIOCGIFMTU */
	{ 0x8927, 40 },  /* SIOCGIFHWADDR */
	{ 0x8933, 40 },  /* SIOCGIFINDEX */
	{ 0x8946, 40 },  /* SIOCETHTOOL: struct ifreq, and its ethtool data below */
	{ 0x8b01, 32 },  /* SIOCGIWNAME: struct iwreq (Chromium asks each interface) */
	{ 0x8b1b, 32 },  /* SIOCGIWESSID: struct iwreq, and its buffer below */
};

/* Requests that write no user memory. */
static const unsigned long ioctl_none[] = {
	0x5402, 0x5403, 0x5404,  /* TCSETS, TCSETSW, TCSETSF */
	0x5409, 0x540A, 0x540B,  /* TCSBRK, TCXONC, TCFLSH */
	0x540E, 0x5410, 0x5414,  /* TIOCSCTTY, TIOCSPGRP, TIOCSWINSZ */
	0x5421, 0x5422, 0x5450,  /* FIONBIO, TIOCNOTTY, FIONCLEX */
	0x5451, 0x5452,          /* FIOCLEX, FIOASYNC */
	0x5425, 0x5427,          /* TCSBRKP, TIOCCBRK */
};

static unsigned ioctl_size(unsigned long req, bool *known)
{
	*known = true;
	for (size_t i = 0; i < ARRAY_SIZE(ioctl_out); i++)
		if (ioctl_out[i].req == req)
			return ioctl_out[i].size;
	for (size_t i = 0; i < ARRAY_SIZE(ioctl_none); i++)
		if (ioctl_none[i] == req)
			return 0;
	unsigned dir = (req >> 30) & 3, size = (req >> 16) & 0x3fff;
	if (dir)           /* _IOC-encoded: read-direction carries the size */
		return (dir & 2) ? size : 0;
	*known = false;
	return 0;
}

bool sys_ioctl_known(unsigned long req)
{
	bool known;
	ioctl_size(req & 0xffffffffu, &known);
	return known;
}

/* What an ethtool command (its first word) writes back: the "get"s a
 * program asks of an interface; others, the largest of these. */
static uint64_t ethtool_size(uint32_t cmd)
{
	switch (cmd) {
	case 0x01: return 44;    /* ETHTOOL_GSET: struct ethtool_cmd */
	case 0x0a: return 8;     /* ETHTOOL_GLINK: struct ethtool_value */
	default:   return 196;   /* ETHTOOL_GDRVINFO (0x03): struct ethtool_drvinfo */
	}
}

void sys_out_ioctl(struct capture *cap, const uint64_t args[6], int64_t ret)
{
	bool known;
	unsigned size = ioctl_size(args[1] & 0xffffffffu, &known);
	if (ret < 0 || !size || !args[2])
		return;
	cap->region(cap->ctx, args[2], size);
	unsigned long req = args[1] & 0xffffffffu;
	struct { int32_t len, pad; uint64_t buf; } ifc;
	if (req == 0x8912 &&
	    cap->read(cap->ctx, args[2], &ifc, sizeof(ifc)) == sizeof(ifc) && ifc.buf && ifc.len > 0)
		cap->region(cap->ctx, ifc.buf, (uint64_t)ifc.len);
	/* struct iw_point after the name: the buffer and its length */
	struct { uint64_t buf; uint16_t len, flags; } iwp;
	if (req == 0x8b1b && cap->read(cap->ctx, args[2] + 16, &iwp, sizeof(iwp)) == sizeof(iwp) &&
	    iwp.buf && iwp.len)
		cap->region(cap->ctx, iwp.buf, iwp.len);
	uint64_t data;
	uint32_t cmd;
	if (req == 0x8946 && cap->read(cap->ctx, args[2] + 16, &data, 8) == 8 && data &&
	    cap->read(cap->ctx, data, &cmd, 4) == 4)
		cap->region(cap->ctx, data, ethtool_size(cmd));
}

void sys_out_fcntl(struct capture *cap, const uint64_t args[6], int64_t ret)
{
	unsigned size = 0;
	switch (args[1]) {
	case 5:  /* F_GETLK */
	case 36: /* F_OFD_GETLK */
		size = 32;
		break;
	case 16: /* F_GETOWN_EX */
	case 1035: /* F_GET_RW_HINT */
	case 1037: /* F_GET_FILE_RW_HINT */
		size = 8;
		break;
	}
	if (ret >= 0 && size && args[2])
		cap->region(cap->ctx, args[2], size);
}

void sys_out_mincore(struct capture *cap, const uint64_t args[6], int64_t ret)
{
	long page = sysconf(_SC_PAGESIZE);
	if (ret == 0 && args[2])
		cap->region(cap->ctx, args[2], (args[1] + page - 1) / page);
}
