#!/usr/bin/env bash
# Throughput and server CPU per request, for the service and the C reference server in the
# same run; prints one Markdown table.
#
#   src/benchmark/run.sh [-r ROUNDS] [-d SECONDS] [-s SCENARIOS] TARGET...
#
# TARGET: "ref" (refserver.c) or a jar, with JVM options before it and settings after it:
# "app.jar", "app.jar --timestamp.metrics.enabled=false", "-Dio.netty.leakDetection.level=simple app.jar".
# SCENARIOS: names from the list below, comma-separated (default: all).
# Each round starts every target afresh, in turn, reversing the order every other round
# (A B B A ...), so that drift on a shared machine and the last run's TIME_WAIT sockets fall
# alike on all. Per target and scenario: two warm-up runs of 3 s (the JIT), then one of
# SECONDS measured; CPU is the server's user + system time over that run, from /proc.
# The server runs on CPU 1, the load generator (loadgen.c) on CPU 0. Needs cc, taskset, curl.
set -euo pipefail

rounds=4
seconds=10
only=""
while getopts "r:d:s:" option; do
	case $option in
	r) rounds=$OPTARG ;;
	d) seconds=$OPTARG ;;
	s) only=$OPTARG ;;
	*) sed -n 5,8p "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { sed -n 5,8p "$0"; exit 2; }

here=$(cd "$(dirname "$0")" && pwd)
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
cc -O2 -o "$bin/loadgen" "$here/loadgen.c"
cc -O2 -o "$bin/refserver" "$here/refserver.c"
port=${PORT:-29567}
http_port=$((port + 1))
tick=$(getconf CLK_TCK)

declare -A load=(
	[lat]="tcp -c 1"
	[c64]="tcp -c 64"
	[c64p16]="tcp -c 64 -p 16"
	[udp16]="udp -c 16"
	[churn16]="churn -c 16"
)
scenarios=(lat c64 c64p16 udp16 churn16)
[ -n "$only" ] && IFS=, read -r -a scenarios <<<"$only"

# Starts target $1 on CPU 1 and waits until it answers; sets $server.
start() {
	if [ "$1" = ref ]; then
		taskset -c 1 "$bin/refserver" -p "$port" 2>/dev/null &
		server=$!
		until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do sleep 0.05; done
	else
		# JVM options, the jar, then settings.
		local words jvm=() rest=()
		read -r -a words <<<"$1"
		for word in "${words[@]}"; do
			if [ ${#rest[@]} -eq 0 ] && [[ $word != *.jar ]]; then jvm+=("$word"); else rest+=("$word"); fi
		done
		taskset -c 1 java "${jvm[@]}" -jar "${rest[@]}" --timestamp.tcp.port="$port" --timestamp.udp.port="$port" \
			--server.port="$http_port" >"$bin/server.log" 2>&1 &
		server=$!
		until curl -fs -o /dev/null "localhost:$http_port/actuator/health/readiness"; do
			kill -0 "$server" 2>/dev/null || { cat "$bin/server.log" >&2; exit 1; }
			sleep 0.2
		done
	fi
}

cpu_ticks() {
	awk '{print $14 + $15}' "/proc/$1/stat"
}

# Prints "<requests/s> <CPU microseconds per request> <errors + lost>" of one measured run.
measure() {
	local target=$1 scenario=$2
	start "$target"
	for _ in 1 2; do
		taskset -c 0 "$bin/loadgen" ${load[$scenario]} -P "$port" -d 3 -w 0 >/dev/null
	done
	local before after result
	before=$(cpu_ticks "$server")
	result=$(taskset -c 0 "$bin/loadgen" ${load[$scenario]} -P "$port" -d "$seconds" -w 0)
	after=$(cpu_ticks "$server")
	kill "$server"
	wait "$server" 2>/dev/null || true
	awk -v r="$result" -v ticks=$((after - before)) -v tick="$tick" 'BEGIN {
		n = split(r, kv, /[ =]/); for (i = 1; i < n; i += 2) v[kv[i]] = kv[i + 1];
		printf "%d %.2f %d\n", v["rps"], ticks * 1e6 / tick / (v["requests"] > 0 ? v["requests"] : 1), v["errors"] + v["lost"] }'
}

median() {
	tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'
}

declare -A rps cpu bad
targets=("$@")
for round in $(seq "$rounds"); do
	order=("${targets[@]}")
	if [ $((round % 2)) -eq 0 ]; then
		order=()
		for ((i = ${#targets[@]} - 1; i >= 0; i--)); do order+=("${targets[$i]}"); done
	fi
	for scenario in "${scenarios[@]}"; do
		for target in "${order[@]}"; do
			read -r r c e < <(measure "$target" "$scenario")
			rps[$scenario|$target]+=" $r"
			cpu[$scenario|$target]+=" $c"
			bad[$scenario|$target]=$((${bad[$scenario|$target]:-0} + e))
			echo "round $round $scenario [$target]: $r requests/s, $c µs CPU/request, $e errors or lost" >&2
		done
	done
done

echo "| scenario | load | server | requests/s, median | CPU µs/request, median | errors + lost | × first target |"
echo "|---|---|---|---|---|---|---|"
for scenario in "${scenarios[@]}"; do
	first=""
	for target in "${targets[@]}"; do
		r=$(median <<<"${rps[$scenario|$target]}")
		c=$(median <<<"${cpu[$scenario|$target]}")
		[ -z "$first" ] && first=$r
		name="refserver.c"
		[ "$target" != ref ] && name=$(sed -E 's#[^ ]*/([^/ ]+\.jar)#\1#' <<<"$target")
		ratio=$(awk -v a="$r" -v b="$first" 'BEGIN {printf "%.2f", a / b}')
		printf '| %s | `%s` | %s | %s | %s | %s | %s |\n' "$scenario" "${load[$scenario]}" "$name" "$r" "$c" \
			"${bad[$scenario|$target]}" "$ratio"
	done
done
