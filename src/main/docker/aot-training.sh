#!/usr/bin/env bash
# The training run for the JVM's AOT cache, run by the Dockerfile in /app:
#
#   bash aot-training.sh java <the ENTRYPOINT's JVM flags> -XX:AOTCacheOutput=app.aot -jar app.jar
#
# It starts the service with that command, serves what a deployed service serves (TCP lines,
# pipelined lines, new connections, UDP datagrams, probes and a scrape) with the bench built
# into the jar, then stops it with SIGTERM; the JVM writes the cache as it exits. A cache
# trained this way also holds the classes and method profiles of the request paths, which an
# exit at refresh never reaches (docs/decisions.md gives the figure).
#
# Any failure fails the build: a bench that sees a bad reply, a timeout or a lost datagram,
# a probe that does not answer 200, a service that does not exit cleanly.
set -euo pipefail

port=${TRAINING_PORT:-21567}
http_port=${TRAINING_HTTP_PORT:-8080}
log=$(mktemp)

"$@" --timestamp.bind-address=127.0.0.1 --timestamp.tcp.port="$port" --timestamp.udp.port="$port" \
	--server.port="$http_port" >"$log" 2>&1 &
server=$!
trap 'kill -KILL "$server" 2>/dev/null || true; cat "$log"; rm -f "$log"' ERR

# GET a path from the actuator with bash's /dev/tcp (the JRE image has no HTTP client);
# prints the status code, 000 when nothing answers.
status() {
	local line
	if ! exec 3<>"/dev/tcp/127.0.0.1/$http_port"; then
		echo 000
		return
	fi
	printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$1" >&3
	read -r _ line _ <&3 || line=000
	cat <&3 >/dev/null
	exec 3<&-
	echo "$line"
}

for _ in $(seq 600); do
	[ "$(status /actuator/health/readiness 2>/dev/null)" = 200 ] && break
	kill -0 "$server"
	sleep 0.2
done
[ "$(status /actuator/health/readiness)" = 200 ]

bench() {
	java -jar app.jar bench "$@" --port "$port" --timeout 10s
}
bench tcp -c 8 -d 4 -w 1
bench tcp -c 8 -p 16 -d 3 -w 1
bench churn -c 4 -d 2 -w 0
bench udp -c 4 -d 3 -w 1
for path in /actuator/health/liveness /actuator/health/readiness /actuator/prometheus /actuator/info; do
	[ "$(status "$path")" = 200 ]
done

kill -TERM "$server"
wait "$server"
trap - ERR
rm -f "$log"
