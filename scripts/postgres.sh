#!/usr/bin/env bash
# Start the local PostgreSQL cluster (Debian's postgresql package) and print a database URL
# for the test suite. Idempotent: reuses a running cluster and an existing role/database.
set -euo pipefail
run_as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi; }
ver=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | awk '{print $4}' | grep -q online; then
  if ! pg_lsclusters -h | grep -q .; then
    ${SUDO:-$( [ "$(id -u)" = 0 ] || echo sudo )} pg_createcluster "$ver" main >/dev/null
  fi
  ${SUDO:-$( [ "$(id -u)" = 0 ] || echo sudo )} pg_ctlcluster "$ver" main start >&2
fi
port=$(pg_lsclusters -h | awk '$4=="online"{print $3; exit}')
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 0.5; done
run_as_postgres "psql -p $port -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='relaydesk'\" | grep -q 1 || psql -p $port -qc \"CREATE ROLE relaydesk LOGIN SUPERUSER PASSWORD 'relaydesk'\"" >&2
run_as_postgres "psql -p $port -qtAc \"SELECT 1 FROM pg_database WHERE datname='relaydesk_test'\" | grep -q 1 || psql -p $port -qc 'CREATE DATABASE relaydesk_test OWNER relaydesk'" >&2
echo "postgresql+psycopg://relaydesk:relaydesk@127.0.0.1:$port/relaydesk_test"
