#!/bin/sh
# exports.sh HEADER VERSION LIBRARY: LIBRARY's dynamic symbol table defines
# exactly the functions HEADER declares (its static inline ones aside), each
# at version VERSION, and nothing else but the version node itself.
# exports.sh --installed BUILD_DIR HEADER VERSION LIBNAME: the same on the
# library that 'cmake --install BUILD_DIR' puts into a fresh prefix.
set -eu
if [ "$1" = --installed ]; then
	build=$2 header=$3 version=$4 libname=$5
	prefix=$(mktemp -d /tmp/ksc-exports.XXXXXX)
	trap 'rm -rf "$prefix"' EXIT
	cmake --install "$build" --prefix "$prefix" >/dev/null
	lib=$(find "$prefix" -name "$libname" | head -n 1)
	[ -n "$lib" ] || { echo "cmake --install put no $libname into $prefix"; exit 1; }
	"$0" "$header" "$version" "$lib"
	exit
fi
header=$1 version=$2 lib=$3
want=$(grep -E '^[A-Za-z_][A-Za-z0-9_ *]*[ *]ksc_[a-z0-9_]+\(' "$header" | grep -v '^static' |
	grep -oE 'ksc_[a-z0-9_]+\(' | tr -d '(' | sort -u)
[ -n "$want" ] || { echo "no function declarations found in $header"; exit 1; }
got=$(nm -D --defined-only "$lib" | awk '{ print $2 " " $3 }')
status=0
echo "$got" | while read -r type name; do
	case "$type $name" in
	"A $version") ;;
	"T "*"@@$version")
		echo "$want" | grep -qx "${name%@@*}" ||
			{ echo "$lib exports ${name%@@*}, which $header does not declare"; exit 1; } ;;
	*) echo "$lib exports $type $name: not a function of $header at $version"; exit 1 ;;
	esac
done || status=1
for f in $want; do
	echo "$got" | grep -qx "T $f@@$version" || { echo "$lib does not export $f@@$version"; status=1; }
done
[ $status = 0 ] && echo "$lib: exactly the $(echo "$want" | wc -l) functions of $(basename "$header") at $version"
exit $status
