#!/bin/sh
# deps.sh -- install the Debian packages scribe needs to build and test,
# only those that are missing.  Safe to run again; needs root (or sudo).
#
#   build:  make gcc libzstd-dev (trace compression) libxxhash-dev (hashes)
#   test:   clang (second compiler, libFuzzer), libclang-rt-14-dev (fuzzer
#           and sanitizer runtimes), python3, sqlite3, gzip, tar, findutils,
#           procps (pgrep/ps), iproute2-free; bc is not needed
set -e
PKGS="make gcc libc6-dev libzstd-dev libxxhash-dev clang libclang-rt-14-dev \
python3 sqlite3 gzip tar findutils procps coreutils bash grep"
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
$SUDO apt-get update -qq || true
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq $missing
