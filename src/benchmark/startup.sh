#!/usr/bin/env bash
# Launch to first TCP reply, in milliseconds, for each way of starting the service, with a
# JDK-only server (Floor.java) in the same rounds, and the classes loaded by that reply.
#
#   src/benchmark/startup.sh [-n ROUNDS] JAR [JAR...]
#
# Ways of starting, per jar:
#   jar    java -jar JAR (the default JDK);
#   image  the Dockerfile's runtime without Docker: Temurin 25, the jar extracted in layers,
#          the AOT cache trained by src/main/docker/aot-training.sh, the ENTRYPOINT's flags.
# Rounds alternate the ways and the jars, so drift on a shared machine hits each alike.
# The server runs on CPU 1, the poller on CPU 0. Needs bash, taskset; JAVA25 (default: the
# first /usr/lib/jvm/*temurin-25*) for the image way, which is left out without it.
set -euo pipefail

rounds=5
if [ "${1:-}" = -n ]; then
	rounds=$2
	shift 2
fi
[ $# -ge 1 ] || { sed -n 4,5p "$0"; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
java17=${JAVA:-java}
java25=${JAVA25:-$(ls -d /usr/lib/jvm/*temurin-25*/bin/java 2>/dev/null | head -1 || true)}
port=${PORT:-29567}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
image_flags=(--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:MaxRAMPercentage=50 -Xss512k
	-XX:ReservedCodeCacheSize=48m -XX:MaxDirectMemorySize=64m)

javac -d "$work/floor" "$here/Floor.java"

# Prepares the image way for jar $1 in directory $2.
prepare_image() {
	mkdir -p "$2"
	(cd "$2" && "$java25" -Djarmode=tools -jar "$1" extract --layers --destination extracted \
		--application-filename app.jar >/dev/null)
	mkdir -p "$2/app"
	for layer in dependencies spring-boot-loader snapshot-dependencies application; do
		cp -r "$2/extracted/$layer/." "$2/app/"
	done
	(cd "$2/app" && TRAINING_PORT=$port TRAINING_HTTP_PORT=$((port + 1)) bash "$repo/src/main/docker/aot-training.sh" \
		"$java25" "${image_flags[@]}" -XX:AOTCacheOutput=app.aot -jar app.jar >/dev/null 2>&1)
}

# Runs a server command from directory $1 and prints "<ms> <classes>": launch to the first
# reply on $port, and the lines of $work/classes.log (when the command writes it) by then.
first_reply() {
	local dir=$1
	shift
	rm -f "$work/classes.log"
	local start end reply=""
	start=$(date +%s%N)
	(cd "$dir" && exec taskset -c 1 "$@" >/dev/null 2>&1) &
	local server=$!
	until [ -n "$reply" ]; do
		reply=$(taskset -c 0 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && printf 'x\n' >&3 && read -r -t 5 line <&3 && echo \"\$line\"" 2>/dev/null || true)
		kill -0 "$server" 2>/dev/null || { echo "server exited before replying: $*" >&2; exit 1; }
	done
	end=$(date +%s%N)
	local classes=-
	[ -f "$work/classes.log" ] && classes=$(wc -l <"$work/classes.log")
	kill "$server"
	wait "$server" 2>/dev/null || true
	echo "$(((end - start) / 1000000)) $classes"
}

service_args=(--timestamp.tcp.port=$port --timestamp.udp.port=$port --server.port=0)
declare -A results
labels=(floor)
for i in $(seq $#); do
	jar=$(cd "$(dirname "${!i}")" && pwd)/$(basename "${!i}")
	labels+=("jar$i")
	if [ -n "$java25" ]; then
		prepare_image "$jar" "$work/image$i"
		labels+=("image$i")
	fi
done

for round in $(seq "$rounds"); do
	results[floor]+=" $(first_reply "$work" "$java17" -cp "$work/floor" Floor $port | cut -d' ' -f1)"
	for i in $(seq $#); do
		jar=$(cd "$(dirname "${!i}")" && pwd)/$(basename "${!i}")
		read -r ms _ < <(first_reply "$work" "$java17" -jar "$jar" "${service_args[@]}")
		results[jar$i]+=" $ms"
		if [ -n "$java25" ]; then
			read -r ms _ < <(first_reply "$work/image$i/app" "$java25" "${image_flags[@]}" -XX:AOTCache=app.aot -jar app.jar "${service_args[@]}")
			results[image$i]+=" $ms"
		fi
	done
done

# Classes loaded by the first reply, one run per jar with the class-load log.
declare -A classes
for i in $(seq $#); do
	jar=$(cd "$(dirname "${!i}")" && pwd)/$(basename "${!i}")
	read -r _ classes[jar$i] < <(first_reply "$work" "$java17" "-Xlog:class+load:file=$work/classes.log" -jar "$jar" "${service_args[@]}")
done

floor_median=$(tr ' ' '\n' <<<"${results[floor]}" | sed '/^$/d' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "| started as | jar | first reply, median ms (min–max) | × floor | classes by the first reply |"
echo "|---|---|---|---|---|"
for label in "${labels[@]}"; do
	stats=$(tr ' ' '\n' <<<"${results[$label]}" | sed '/^$/d' | sort -n | awk '{a[NR]=$1} END {printf "%d %d %d", a[int((NR+1)/2)], a[1], a[NR]}')
	read -r median min max <<<"$stats"
	case $label in
	floor) way="JDK-only floor (Floor.java)"; name="-" ;;
	jar*) way="java -jar"; n=${label#jar}; name=$(basename "${!n}") ;;
	image*) way="image (Java 25, layers, AOT cache)"; n=${label#image}; name=$(basename "${!n}") ;;
	esac
	ratio=$(awk -v a="$median" -v b="$floor_median" 'BEGIN {printf "%.1f", a / b}')
	echo "| $way | $name | $median ($min–$max) | $ratio | ${classes[$label]:--} |"
done
