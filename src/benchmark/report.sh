#!/usr/bin/env bash
# Runs every scenario of docs/benchmarks.md on this machine and prints its tables.
#
#   src/benchmark/report.sh [JAR]      (default: the jar in target/, built by ./mvnw package)
#
# About 30 minutes on two CPUs. Needs cc, taskset, curl, openssl, haproxy, stunnel4 and, for the
# image's start-up, a Temurin 25 JDK (JAVA25, default /usr/lib/jvm/*temurin-25*).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
jar=${1:-$(ls "$repo"/target/timestamp-service-*.jar | head -1)}
jar=$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")
port=${PORT:-29567}

echo "## Build and machine"
echo
echo "| | |"
echo "|---|---|"
echo "| commit | \`$(git -C "$repo" rev-parse --short HEAD)\` |"
echo "| date | $(date -u +%Y-%m-%d) |"
echo "| CPU | $(nproc) × $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') |"
echo "| kernel | $(uname -r) |"
echo "| Java (\`java -jar\`) | $(java -version 2>&1 | head -1) |"
echo

echo "## Throughput and CPU per request"
echo
"$here/run.sh" -r "${ROUNDS:-2}" ref "$jar" 2>/dev/null
echo

echo "## Cost of features"
echo
"$here/run.sh" -r "${ROUNDS:-2}" -s c64,c64p16 "$jar" "$jar --timestamp.metrics.enabled=false" \
	"$jar --timestamp.metrics.flow-timers=true" "$jar --timestamp.tcp.transport=io-uring" \
	"-Dio.netty.leakDetection.level=simple $jar" 2>/dev/null
echo

echo "## TLS"
echo
"$here/tls.sh" -r "${ROUNDS:-2}" "$jar" 2>/dev/null
echo

echo "## Start-up"
echo
"$here/startup.sh" -n 5 "$jar" 2>/dev/null
echo

# Idle connections and overload: the server on CPU 1, with its own descriptor limit.
serve() {
	taskset -c 1 java -jar "$jar" --timestamp.tcp.port="$port" --timestamp.udp.port="$port" \
		--server.port=$((port + 1)) "$@" >/dev/null 2>&1 &
	server=$!
	until curl -fs -o /dev/null "localhost:$((port + 1))/actuator/health/readiness"; do sleep 0.2; done
}
bench() {
	taskset -c 0 java -jar "$jar" bench "$@" --port "$port"
}

echo "## Memory per idle connection"
echo
echo '```'
ulimit -n 65536 2>/dev/null || true
serve --timestamp.tcp.max-connections=18000
bench idle -c 2000 -d 1 >/dev/null || true
bench idle -c 15000 -d 5 --local-addresses 127.0.1.1,127.0.2.1 --server-pid "$server" --gc \
	--metrics-url "http://127.0.0.1:$((port + 1))/actuator/prometheus" || true
kill "$server"
wait "$server" 2>/dev/null || true
echo '```'
echo

echo "## Overload"
echo
echo '```'
serve
bench tcp -c 1024 -p 16 -d 10 -w 3 || true
kill "$server"
wait "$server" 2>/dev/null || true
serve --timestamp.tcp.max-connections=1000
bench idle -c 1500 -d 2 --metrics-url "http://127.0.0.1:$((port + 1))/actuator/prometheus" || true
curl -s "localhost:$((port + 1))/actuator/prometheus" | grep '^timestamp_tcp_connections_rejected_total' || true
kill "$server"
wait "$server" 2>/dev/null || true
echo '```'
