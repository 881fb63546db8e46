#!/bin/sh
# install.sh BUILD_DIR SOURCE_DIR: 'make install' into a scratch prefix and
# into a DESTDIR staging tree.
#  - every installed program runs from the prefix (--help exits 0) without
#    LD_LIBRARY_PATH, and tools/uninstall leaves the prefix empty;
#  - with DESTDIR, the module, its udev rule and the DKMS tree land under it
#    and the module's uninstall removes them.
set -eu
build=$1 src=$2
tmp=$(mktemp -d /tmp/ksc-install-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
kmod_install=$src/backend-luajit-kmod/install/kmod-install

prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null
# The manifest tools/uninstall reads, as cmake writes it (the build's own
# may be another test's by now).
find "$prefix" ! -type d >"$tmp/manifest"
programs=$(ls "$prefix/bin")
[ -n "$programs" ] || fail "no programs installed"
for p in $programs; do
	env -u LD_LIBRARY_PATH "$prefix/bin/$p" --help >/dev/null 2>"$tmp/err" ||
		fail "$p --help: $(cat "$tmp/err")"
	echo "ok   $p --help from the prefix"
done
"$src/tools/uninstall" "$tmp/manifest" >/dev/null
left=$(find "$prefix" -mindepth 1)
[ -z "$left" ] || fail "uninstall left: $left"
echo "ok   uninstall leaves the prefix empty"

stage=$tmp/stage
DESTDIR=$stage cmake --install "$build" --prefix /usr >/dev/null
[ -x "$stage/usr/bin/ksc" ] || fail "no $stage/usr/bin/ksc"
[ -f "$stage/usr/share/man/man1/ksc.1" ] || fail "no ksc(1) under DESTDIR"
echo "ok   DESTDIR stages the library, programs and man pages"
if [ -f "$build/ksc.ko" ]; then
	DESTDIR=$stage "$kmod_install" install "$build" >/dev/null
	ko=$(find "$stage/lib/modules" -path '*/updates/ksc.ko')
	[ -n "$ko" ] || fail "no updates/ksc.ko under DESTDIR"
	[ -f "$stage/lib/udev/rules.d/60-ksc.rules" ] || fail "no udev rule under DESTDIR"
	echo "ok   DESTDIR stages ksc.ko in $(echo "$ko" | sed "s|$stage||") and the udev rule"
	DESTDIR=$stage "$kmod_install" dkms "$build" >/dev/null
	dkms=$(ls -d "$stage"/usr/src/ksc-*)
	for f in dkms.conf Kbuild main.c uapi/ksc_ioctl.h lj/lua.h; do
		[ -f "$dkms/$f" ] || fail "the DKMS tree has no $f"
	done
	[ -z "$(find "$dkms" -name '*.o' -o -name '*.ko')" ] || fail "the DKMS tree holds objects"
	echo "ok   DESTDIR stages the DKMS tree $(echo "$dkms" | sed "s|$stage||")"
	DESTDIR=$stage "$kmod_install" uninstall "$build" >/dev/null
	[ ! -e "$ko" ] && [ ! -e "$stage/lib/udev/rules.d/60-ksc.rules" ] ||
		fail "the module's uninstall left files"
	echo "ok   the module's uninstall removes ksc.ko and the rule"
fi
