/* ioctl_netif.c -- the interface queries a browser makes (Chromium's
 * network change notifier): SIOCGIWNAME (is it wireless?), SIOCGIWESSID
 * and SIOCETHTOOL (ETHTOOL_GDRVINFO, ETHTOOL_GLINK) on the loopback
 * interface, printing what each returned and wrote, and a random number.
 *
 *   ioctl_netif */
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <linux/wireless.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "testutil.h"

int main(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return 1;
	struct iwreq iw;
	memset(&iw, 0, sizeof(iw));
	strcpy(iw.ifr_name, "lo");
	printf("SIOCGIWNAME: %s\n", res(ioctl(fd, SIOCGIWNAME, &iw)));
	char essid[IW_ESSID_MAX_SIZE + 1] = {0};
	iw.u.essid.pointer = essid;
	iw.u.essid.length = sizeof(essid);
	printf("SIOCGIWESSID: %s\n", res(ioctl(fd, SIOCGIWESSID, &iw)));
	struct ethtool_drvinfo info = { .cmd = ETHTOOL_GDRVINFO };
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	ifr.ifr_data = (char *)&info;
	long r = ioctl(fd, SIOCETHTOOL, &ifr);
	printf("ETHTOOL_GDRVINFO: %s, driver \"%s\", version \"%s\"\n", res(r), info.driver,
	       info.version);
	struct ethtool_value link = { .cmd = ETHTOOL_GLINK };
	ifr.ifr_data = (char *)&link;
	r = ioctl(fd, SIOCETHTOOL, &ifr);
	printf("ETHTOOL_GLINK: %s, link %u\n", res(r), link.data);
	unsigned v = 0;
	getrandom(&v, sizeof(v), 0);
	printf("random %08x\n", v);
	close(fd);
	return 0;
}
