#!/bin/sh
# install_example.sh BUILD_DIR SOURCE_DIR: install libksc into a temporary
# prefix, then build the UDP echo example against it twice, with pkg-config
# and with find_package(ksc), and run both builds.
set -eu
build=$1 src=$2
prefix=$(mktemp -d /tmp/ksc-install.XXXXXX)
trap 'rm -rf "$prefix"' EXIT

cmake --install "$build" --prefix "$prefix" >/dev/null
pc=$(find "$prefix" -name ksc.pc)
[ -n "$pc" ]
export PKG_CONFIG_PATH=$(dirname "$pc")
libdir=$(pkg-config --variable=libdir ksc)
[ -f "$libdir/libksc.so" ]

cc -std=c11 -Wall -Wextra -Werror -o "$prefix/echo-pkgconfig" "$src/core/examples/udp_echo.c" \
	$(pkg-config --cflags --libs ksc)
LD_LIBRARY_PATH=$libdir "$src/tests/libksc/example_echo.sh" "$prefix/echo-pkgconfig" syscall

cmake -S "$src/core/examples" -B "$prefix/example-build" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$prefix/example-build" >/dev/null
"$src/tests/libksc/example_echo.sh" "$prefix/example-build/ksc-udp-echo" mmsg

# The installed CLI finds the installed library by itself.
"$prefix/bin/ksc" --help >/dev/null
