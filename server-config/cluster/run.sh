#!/usr/bin/env bash
# One machine, one cluster: Redis, three Duplex nodes (8081-8083) and nginx in front of them on
# http://127.0.0.1:8080/. From the repository: server-config/cluster/run.sh   (Ctrl-C stops everything)
# Needs redis-server and nginx (Debian: apt-get install redis-server nginx) and a built jar.
set -euo pipefail
cd "$(dirname "$0")/../.."

JAR=target/duplex-standalone.jar
REDIS_PORT=${REDIS_PORT:-6379}
[ -f "$JAR" ] || mvn -B -q package -DskipTests -DskipFuzz

if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --daemonize yes \
    --logfile "$PWD/target/cluster-redis.log"
fi

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait' EXIT INT TERM

# Behind nginx every client comes from nginx's address: the per-address limits are meant for the edge,
# so they are raised here (the proxy is where to limit addresses in this setup).
for port in 8081 8082 8083; do
  DUPLEX_REDIS_URI="redis://127.0.0.1:$REDIS_PORT" \
  DUPLEX_LIMITS_CONNECTIONS_PER_ADDRESS=100000 \
  DUPLEX_LIMITS_HANDSHAKES_PER_ADDRESS=100000 \
    java -jar "$JAR" --host 127.0.0.1 --port "$port" >"target/cluster-node-$port.log" 2>&1 &
  pids+=($!)
done
for port in 8081 8082 8083; do
  until grep -q "Duplex listening on" "target/cluster-node-$port.log"; do sleep 0.2; done
done

mkdir -p target/nginx/logs
nginx -p "$PWD/target/nginx" -c "$PWD/server-config/cluster/nginx.conf" -g 'daemon off;' &
pids+=($!)
echo "Duplex cluster: http://127.0.0.1:8080/ (nodes' logs: target/cluster-node-*.log)"
wait
