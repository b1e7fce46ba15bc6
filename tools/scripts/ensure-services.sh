#!/usr/bin/env bash
# Makes sure PostgreSQL and NATS (with JetStream) answer on their local default ports, starting the
# machine's own services when they are down. Used by CI and by `npm start`.
set -euo pipefail

PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
NATS_HOST=${NATS_HOST:-127.0.0.1}
NATS_PORT=${NATS_PORT:-4222}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_port() {
  local name=$1 host=$2 port=$3
  for _ in $(seq 1 60); do
    if port_open "$host" "$port"; then return 0; fi
    sleep 0.5
  done
  echo "error: $name did not come up on $host:$port" >&2
  return 1
}

if ! port_open "$PG_HOST" "$PG_PORT"; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "starting PostgreSQL…"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
  elif command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    echo "starting PostgreSQL with docker compose…"
    docker compose up -d postgres
  else
    echo "error: PostgreSQL is not reachable on $PG_HOST:$PG_PORT. Start it (e.g. 'docker compose up -d postgres')." >&2
    exit 1
  fi
  wait_port PostgreSQL "$PG_HOST" "$PG_PORT"
fi

if ! port_open "$NATS_HOST" "$NATS_PORT"; then
  if [ -x /usr/sbin/nats-server ]; then
    echo "starting NATS with JetStream…"
    mkdir -p /var/lib/nats-server
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
      -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  elif command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    echo "starting NATS with docker compose…"
    # nats-dev: JetStream without the stack's per-service users (the tests and `npm start` connect without).
    docker compose --profile dev up -d nats-dev
  else
    echo "error: NATS is not reachable on $NATS_HOST:$NATS_PORT. Start it with JetStream (e.g. 'docker compose --profile dev up -d nats-dev')." >&2
    exit 1
  fi
  wait_port NATS "$NATS_HOST" "$NATS_PORT"
fi
