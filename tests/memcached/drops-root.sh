#!/bin/bash
# drops-root.sh PORT UDP-CLIENT: run by with-server.sh against
# "ksc-memcached -u nobody" on the ebpf backend, which opens as root. The
# server answers over UDP (UDP-CLIENT PORT), and every one of its threads
# runs as nobody.
set -u
port=$1 client=$2
"$client" "$port" || exit 1
pid=$(pgrep -n -f "ksc-memcached.*-p $port") || { echo "no server process"; exit 1; }
nobody=$(id -u nobody)
for status in /proc/"$pid"/task/*/status; do
	uids=$(awk '/^Uid:/ { print $2, $3, $4, $5 }' "$status")
	if [ "$uids" != "$nobody $nobody $nobody $nobody" ]; then
		echo "$status: Uid $uids, wanted $nobody"
		exit 1
	fi
done
echo "every thread of $pid runs as uid $nobody"
