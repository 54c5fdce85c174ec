#!/bin/sh
# Builds upstream util-vserver's vhashify for the benchmark's upstream rows, from a source checkout,
# with our stock-kernel shim (upstream-shim.c) linked in. No network except Debian packages.
#
#   test/bench/build-upstream.sh SRC_DIR OUT_DIR
#
# SRC_DIR: an util-vserver source tree (e.g. `git archive` of github.com/linux-vserver/util-vserver);
#          it is copied, never modified.
# OUT_DIR: gets build/ (the copy, configured and built), build.log, and vhashify (the binary the
#          bench picks up by default when OUT_DIR is <bench dir>/upstream).
#
# Build choices: glibc (no dietlibc), NSS as the crypto API (beecrypt is no longer in Debian),
# static libvserver so the binary stands alone; only vhashify and what it links are built.
set -eu

if [ $# -ne 2 ]; then
  echo "usage: $0 SRC_DIR OUT_DIR" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
if [ ! -f "$src/configure.ac" ] || [ ! -f "$src/src/vhashify.c" ]; then
  echo "$0: $src does not look like a util-vserver source tree (no configure.ac, src/vhashify.c)" >&2
  exit 2
fi

# Debian packages the build needs, installed only when missing.
need=""
for pair in autoreconf:autoconf aclocal:automake libtoolize:libtool pkg-config:pkg-config gcc:gcc make:make; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need="$need ${pair#*:}"
done
pkg-config --exists nss 2>/dev/null || need="$need libnss3-dev"
[ -f /usr/include/ext2fs/ext2_fs.h ] || need="$need libext2fs-dev"
if [ -n "$need" ]; then
  echo "build-upstream: installing$need"
  apt-get install -y --no-install-recommends $need >/dev/null 2>&1 ||
    { apt-get update >/dev/null && apt-get install -y --no-install-recommends $need >/dev/null; }
fi

build="$out/build"
log="$out/build.log"
rm -rf "$build"
mkdir -p "$build"
(cd "$src" && tar -cf - .) | (cd "$build" && tar -xf -)
: >"$log"
echo "build-upstream: building in $build (log: $log)"

cd "$build"
autoreconf -fi >>"$log" 2>&1
# configure insists on finding run-time tools of the scripts we do not build; vhashify never runs
# them. Where one is missing, name its usual path so configure goes on.
for pair in ip:IP iptables:IPTABLES modprobe:MODPROBE nameif:NAMEIF nohup:NOHUP rmmod:RMMOD \
            wget:WGET ionice:IONICE fsck:FSCK vconfig:VCONFIG; do
  tool=${pair%%:*}
  command -v "$tool" >/dev/null 2>&1 || export "${pair#*:}=/usr/sbin/$tool"
done
./configure --disable-dietlibc --with-crypto-api=nss --disable-shared --enable-static \
  --prefix=/usr --sysconfdir=/etc --localstatedir=/var >>"$log" 2>&1
make pathconfig.h >>"$log" 2>&1
jobs=$(nproc 2>/dev/null || echo 2)
# First plain upstream (libraries and vhashify), then vhashify linked again with the shim. The shim
# comes first on the link line (LDFLAGS) so that its __real_ references pull the library's calls in.
make -j"$jobs" src/vhashify >>"$log" 2>&1
gcc -O2 -Wall -Wextra -c -o "$build/upstream-shim.o" "$here/upstream-shim.c" >>"$log" 2>&1
rm -f src/vhashify
make src/vhashify \
  LDFLAGS="$build/upstream-shim.o -Wl,--wrap=vc_get_iattr -Wl,--wrap=vc_set_iattr" >>"$log" 2>&1
nm src/vhashify | grep -q '__wrap_vc_get_iattr' || { echo "$0: the shim is not linked in" >&2; exit 1; }

# Smoke test: on this kernel a 16-byte file must become a store entry (without the shim it is
# skipped as "operation not supported").
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir -p "$t/guest/d" "$t/hash/root"
echo sha1 >"$t/hash/method"
printf 'sixteen bytes!!\n' >"$t/guest/d/file"
: >"$t/exclude"
./src/vhashify --manually --destination "$t/hash" "$t/guest" "$t/exclude" >>"$log" 2>&1
links=$(stat -c %h "$t/guest/d/file")
if [ "$links" != 2 ]; then
  echo "$0: the built vhashify did not link a test file (link count $links); see $log" >&2
  exit 1
fi

cp src/vhashify "$out/vhashify.new"
mv "$out/vhashify.new" "$out/vhashify"
echo "build-upstream: $out/vhashify (upstream vhashify with the stock-kernel shim)"
