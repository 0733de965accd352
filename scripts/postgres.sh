#!/usr/bin/env bash
# Install (Debian packages) and start a local PostgreSQL server for the test suite, then print
# the URL the tests use. Idempotent: a running server and an existing role are reused.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  echo "installing PostgreSQL from Debian packages..." >&2
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h 2>/dev/null | grep -q "^$version main"; then
  pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -q online; then
  pg_ctlcluster "$version" main start >&2
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')
as_pg() { su postgres -c "$1" >&2; }
as_pg "psql -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname='hinge'\" | grep -q 1 || psql -p $port -c \"CREATE ROLE hinge LOGIN CREATEDB PASSWORD 'hinge'\""
as_pg "psql -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname='hinge_test'\" | grep -q 1 || createdb -p $port -O hinge hinge_test"
echo "postgresql+psycopg://hinge:hinge@127.0.0.1:$port/hinge_test"
