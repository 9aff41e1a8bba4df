#!/usr/bin/env bash
# TLS throughput, handshakes and server CPU per request: the service's TLS listener (with its
# default engine, BoringSSL, and with the JDK's) against Debian's HAProxy and stunnel4, each
# terminating TLS in front of the C reference server, in the same run.
#
#   src/benchmark/tls.sh [-r ROUNDS] [-d SECONDS] JAR
#
# The load is the jar's own bench over TLS (the C load generator has no TLS); CPU is the
# server side's user + system time over the measured run (the proxy's and refserver's together).
# Servers on CPU 1, load on CPU 0. Needs cc, openssl, haproxy and stunnel4 (apt-get install
# haproxy stunnel4), taskset, curl.
set -euo pipefail

rounds=2
seconds=8
while getopts "r:d:" option; do
	case $option in
	r) rounds=$OPTARG ;;
	d) seconds=$OPTARG ;;
	*) sed -n 5p "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || { sed -n 5p "$0"; exit 2; }
jar=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
for program in haproxy stunnel4; do
	command -v $program >/dev/null || { echo "tls.sh: $program is missing (apt-get install $program)" >&2; exit 1; }
done

here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
cc -O2 -o "$work/refserver" "$here/refserver.c"
port=${PORT:-29567}
tick=$(getconf CLK_TCK)

# A test CA and a certificate for localhost, as docs/tls.md makes them.
(
	cd "$work"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=bench CA" \
		-keyout ca.key -out ca.crt 2>/dev/null
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost -keyout tls.key \
		-out tls.csr 2>/dev/null
	printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >tls.ext
	openssl x509 -req -in tls.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile tls.ext \
		-out tls.crt 2>/dev/null
)
cat "$work/tls.crt" "$work/tls.key" >"$work/tls.pem"
cat >"$work/haproxy.cfg" <<CONF
global
	nbthread 1
defaults
	mode tcp
	timeout connect 5s
	timeout client 60s
	timeout server 60s
frontend timestamp
	bind 127.0.0.1:$port ssl crt $work/tls.pem
	default_backend refserver
backend refserver
	server refserver 127.0.0.1:$((port + 2))
CONF
cat >"$work/stunnel.conf" <<CONF
foreground = yes
pid =
socket = l:TCP_NODELAY=1
socket = r:TCP_NODELAY=1
[timestamp]
libwrap = no
accept = 127.0.0.1:$port
connect = 127.0.0.1:$((port + 2))
cert = $work/tls.crt
key = $work/tls.key
sslVersionMin = TLSv1.2
CONF

# Starts the target's servers; sets $pids (the processes whose CPU counts).
start() {
	if [ "${1%-jdk}" != service ]; then
		taskset -c 1 "$work/refserver" -p $((port + 2)) 2>/dev/null &
		pids=$!
		if [ "$1" = haproxy ]; then
			taskset -c 1 haproxy -db -f "$work/haproxy.cfg" >/dev/null 2>&1 &
		else
			taskset -c 1 stunnel4 "$work/stunnel.conf" 2>/dev/null &
		fi
		pids="$pids $!"
		until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do sleep 0.05; done
	else
		taskset -c 1 java -jar "$jar" --timestamp.tcp.port=$((port + 2)) --timestamp.udp.enabled=false \
			--timestamp.tls.enabled=true --timestamp.tls.port="$port" --timestamp.tls.bundle=bench \
			--spring.ssl.bundle.pem.bench.keystore.certificate="file:$work/tls.crt" \
			--spring.ssl.bundle.pem.bench.keystore.private-key="file:$work/tls.key" \
			--server.port=$((port + 1)) $([ "$1" = service-jdk ] && echo --timestamp.tls.engine=jdk) \
			>"$work/server.log" 2>&1 &
		pids=$!
		until curl -fs -o /dev/null "localhost:$((port + 1))/actuator/health/readiness"; do sleep 0.2; done
	fi
}

cpu_ticks() {
	local sum=0
	for pid in $pids; do sum=$((sum + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done
	echo $sum
}

bench() {
	taskset -c 0 java -jar "$jar" bench "$@" --tls --ca "$work/ca.crt" --host localhost --port "$port" --json
}

declare -A rps cpu
targets=(haproxy stunnel service service-jdk)
scenarios=("tcp -c 64" "tcp -c 64 -p 16" "churn -c 16")
for round in $(seq "$rounds"); do
	order=("${targets[@]}")
	[ $((round % 2)) -eq 0 ] && order=(service-jdk service stunnel haproxy)
	for scenario in "${scenarios[@]}"; do
		for target in "${order[@]}"; do
			start "$target"
			bench $scenario -d 3 -w 0 >/dev/null
			before=$(cpu_ticks)
			result=$(bench $scenario -d "$seconds" -w 1)
			after=$(cpu_ticks)
			kill $pids
			wait $pids 2>/dev/null || true
			r=$(grep -o '"rps":[0-9.]*' <<<"$result" | cut -d: -f2)
			answered=$(grep -o '"totalAnswered":[0-9]*' <<<"$result" | cut -d: -f2)
			r=${r%.*}
			c=$(awk -v t=$((after - before)) -v tick="$tick" -v n="$answered" 'BEGIN {printf "%.1f", t * 1e6 / tick / (n > 0 ? n : 1)}')
			rps[$scenario|$target]+=" $r"
			cpu[$scenario|$target]+=" $c"
			echo "round $round $scenario --tls [$target]: $r requests/s, $c µs CPU/request" >&2
		done
	done
done

median() {
	tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'
}
echo "| load (bench, over TLS) | server | requests/s, median | CPU µs/request, median | × HAProxy + refserver |"
echo "|---|---|---|---|---|"
for scenario in "${scenarios[@]}"; do
	base=$(median <<<"${rps[$scenario|haproxy]}")
	for target in "${targets[@]}"; do
		r=$(median <<<"${rps[$scenario|$target]}")
		c=$(median <<<"${cpu[$scenario|$target]}")
		name="the service's TLS listener"
		[ "$target" = service-jdk ] && name="the service's TLS listener, \`tls.engine=jdk\`"
		[ "$target" = stunnel ] && name="stunnel4 + refserver.c"
		[ "$target" = haproxy ] && name="HAProxy + refserver.c"
		printf '| `%s` | %s | %s | %s | %s |\n' "$scenario" "$name" "$r" "$c" "$(awk -v a="$r" -v b="$base" 'BEGIN {printf "%.2f", a / b}')"
	done
done
