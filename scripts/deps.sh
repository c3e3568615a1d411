#!/bin/sh
# deps.sh -- install the Debian packages scribe needs to build and test,
# only those that are missing.  Safe to run again; needs root (or sudo).
#
#   scripts/deps.sh          build and `make test`
#   scripts/deps.sh --apps   also the applications of `make test-apps`
#
#   build:  make gcc libzstd-dev (trace compression) libxxhash-dev (hashes)
#   test:   clang (second compiler, libFuzzer), libclang-rt-14-dev (fuzzer
#           and sanitizer runtimes), real programs the suite records
#           (python3, sqlite3, gzip, tar, findutils, git, nginx, redis) and
#           the clients that load the servers (wrk, redis-tools, curl);
#           procps for checking no process is left behind; setuid
#           and file-capability programs the suite records (sudo, ping,
#           passwd; su is util-linux's) and setcap (libcap2-bin);
#           python3-pytest for the python module's tests (make test-python);
#           gdb for the `scribe debug` cases (tests/cases/debug-*.sh)
#   bench:  autoconf (make bench's configure row generates its script)
#   apps:   lighttpd, memcached, PostgreSQL 15, MariaDB, ffmpeg and their
#           clients (apache2-utils for ab, libmemcached-tools for memcslap);
#           Apache httpd, mpv, LibreOffice Writer (no GUI); the language
#           runtimes: the JDK (javac, java), Node.js, Go (golang-go; file
#           checks how it linked), Ruby, Perl.  Chromium and Firefox ESR
#           are not installed: their cases are known to fail
#           (tests/apps/known-broken/, see the README's known limits)
set -e
PKGS="make gcc libc6-dev libzstd-dev libxxhash-dev clang libclang-rt-14-dev \
python3 sqlite3 gzip tar findutils procps coreutils bash grep util-linux \
git curl nginx wrk redis-server redis-tools sudo iputils-ping passwd libcap2-bin \
python3-pytest gdb autoconf"
[ "${1:-}" = --apps ] && PKGS="$PKGS lighttpd apache2-utils memcached libmemcached-tools \
postgresql-15 mariadb-server mariadb-client ffmpeg \
apache2 mpv libreoffice-writer-nogui \
openjdk-17-jdk-headless nodejs golang-go file ruby perl"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing:$missing"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
# The servers are for the tests to start, on ports of their own: keep the
# packages from starting them as system services (policy-rc.d exit 101:
# "action forbidden"), unless the machine already has a policy.
policy=/usr/sbin/policy-rc.d
own_policy=
if [ ! -e $policy ]; then
	printf '#!/bin/sh\nexit 101\n' | $SUDO tee $policy >/dev/null
	$SUDO chmod 755 $policy
	own_policy=1
fi
$SUDO apt-get update -qq || true
# shellcheck disable=SC2086
status=0
$SUDO apt-get install -y -qq $missing || status=$?
[ -n "$own_policy" ] && $SUDO rm -f $policy
if [ $status != 0 ]; then
	echo "deps: apt-get install failed (status $status) for:$missing" >&2
	exit $status
fi
