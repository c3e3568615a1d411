# Interface queries a browser makes (SIOCGIWNAME, SIOCGIWESSID, SIOCETHTOOL)
# are known ioctls: recorded with what they write (the ethtool data and
# the ESSID buffer they point to), without a warning, and replayed.
. "$TOP/tests/lib.sh"
nondet "$B/ioctl_netif"
rr_check --status 0 -- "$B/ioctl_netif"
want '^SIOCGIWNAME: ' '^ETHTOOL_GDRVINFO: ' '^ETHTOOL_GLINK: ' '^random [0-9a-f]{8}$'
grep -q 'not known' "$T/rr.rec.err" && fail "scribe warned: $(cat "$T/rr.rec.err")"
exit 0
