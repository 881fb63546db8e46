# ksc.ko as 'make install' leaves it: the tree 'make install-module' staged
# with DESTDIR (tests/vm/run puts it in /ksc/stage) copied into /, as a
# package would; depmod and modprobe are kmod's, as on Debian. Then the
# device node's owner, group and mode from the module's parameters.
. /ksc/tests/lib.sh

ksc=/ksc/bin/ksc
release=$(uname -r)
params=/sys/module/ksc/parameters
for tool in depmod modprobe; do ln -sf /ksc/kmod /sbin/$tool; done
add_function() { echo 'function f() return 6 * 7 end' >/tmp/f.lua && chmod 644 /tmp/f.lua; }
runs_code() { [ "$("$@" $ksc run /tmp/f.lua f)" = 42 ]; }
# The installed 60-ksc.rules as udev runs it (no udevd in the guest:
# udevadm test processes the add event's rules and sets the node's owner,
# group and mode from the module's parameters).
apply_udev_rule() {
	mkdir -p /run/udev &&
		/ksc/udevadm test --action=add /devices/virtual/misc/ksc >/tmp/udev.out 2>&1 &&
		grep -q 'Setting permissions /dev/ksc, uid=0, gid=2000, mode=0660' /tmp/udev.out &&
		[ "$(stat -c %g:%a /dev/ksc)" = 2000:660 ] || { tail -5 /tmp/udev.out; return 1; }
}
mode_of_dev() { [ "$(stat -c %a /dev/ksc)" = "$1" ]; }
in_group_2000() {
	/usr/bin/setpriv --reuid=1000 --regid=1000 --groups=2000 --inh-caps=-all -- "$@"
}

rmmod ksc 2>/dev/null
add_function
cp -a /ksc/stage/. /
check "the module is installed in updates/" test -f /lib/modules/$release/updates/ksc.ko
check "the udev rule is installed" grep -q 'KERNEL=="ksc"' /lib/udev/rules.d/60-ksc.rules
check "depmod $release" depmod "$release"
check "modprobe ksc" modprobe ksc
check "/dev/ksc is 0666 by default" mode_of_dev 666
check "dev_mode reads 0666" test "$(cat $params/dev_mode)" = 0666
check "an unprivileged user runs code" runs_code as_user
check "modprobe -r ksc" modprobe -r ksc

check "modprobe ksc dev_gid=2000 dev_mode=0660" modprobe ksc dev_gid=2000 dev_mode=0660
check "devtmpfs made it 0660" mode_of_dev 660
check "udev's run of the rule gives /dev/ksc group 2000, mode 0660" apply_udev_rule
check "a member of group 2000 runs code" runs_code in_group_2000
want_status=1
expect_err "a user outside the group is refused, and told why" \
	"no permission to open /dev/ksc: .*dev_gid" as_user $ksc run /tmp/f.lua f
unset want_status
check "modprobe -r ksc" modprobe -r ksc
expect_fail "dev_mode above 0777 is refused" modprobe ksc dev_mode=1777
expect_fail "a dev_mode that is not octal is refused" modprobe ksc dev_mode=0668
rm -f /lib/modules/$release/updates/ksc.ko
summary install
