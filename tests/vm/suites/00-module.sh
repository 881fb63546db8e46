# The module loads, creates /dev/ksc for everyone, and unloads cleanly.
. /ksc/tests/lib.sh

dev_mode() { [ "$(stat -c %a /dev/ksc)" = 666 ]; }
dev_gone() { [ ! -e /dev/ksc ]; }
open_as_user() { as_user sh -c ': </dev/ksc'; }

rmmod ksc 2>/dev/null
check "insmod ksc.ko" insmod /ksc/ksc.ko
check "/dev/ksc is a character device" test -c /dev/ksc
check "/dev/ksc has mode 0666" dev_mode
check "uid 1000 can open /dev/ksc" open_as_user
check "rmmod ksc" rmmod ksc
check "/dev/ksc is gone after rmmod" dev_gone
check "insmod again after rmmod" insmod /ksc/ksc.ko
check "rmmod again" rmmod ksc
summary module
