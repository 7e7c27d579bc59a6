#!/usr/bin/env bash
# Backup check: pg_dump a Leitstern database, restore the dump into a scratch database and
# compare the exact row count of every table. Exits non-zero on any difference.
#
#   bench/backup_restore_check.sh postgres://postgres@127.0.0.1:5432/leitstern
#
# Uses the custom dump format (compressed, restorable table by table, parallel with -j).
# The scratch database is dropped afterwards; the dump file is kept only with KEEP_DUMP=1.
set -euo pipefail

source_url="${1:-${DATABASE_URL:-}}"
if [[ -z "$source_url" || "$source_url" != postgres* ]]; then
  echo "usage: $0 postgres://user@host:port/dbname   (or set DATABASE_URL)" >&2
  exit 2
fi
server="${source_url%/*}"
source_db="${source_url##*/}"
scratch="${source_db}_restore_check_$$"
workdir="$(mktemp -d)"
dump="$workdir/${source_db}.dump"

cleanup() {
  psql -q "$server/postgres" -c "DROP DATABASE IF EXISTS \"$scratch\"" >/dev/null 2>&1 || true
  if [[ "${KEEP_DUMP:-0}" == 1 ]]; then echo "dump kept: $dump"; else rm -rf "$workdir"; fi
}
trap cleanup EXIT

counts() {
  local url="$1"
  psql -At "$url" -c "SELECT table_name FROM information_schema.tables
                      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1" |
    while read -r table; do
      printf '%s %s\n' "$table" "$(psql -At "$url" -c "SELECT count(*) FROM \"$table\"")"
    done
}

started=$(date +%s)
pg_dump --format=custom --no-owner --file "$dump" "$source_url"
echo "dumped $source_db: $(du -h "$dump" | cut -f1) in $(( $(date +%s) - started )) s"

psql -q "$server/postgres" -c "CREATE DATABASE \"$scratch\""
started=$(date +%s)
pg_restore --no-owner --exit-on-error --jobs 2 --dbname "$server/$scratch" "$dump"
echo "restored into $scratch in $(( $(date +%s) - started )) s"

counts "$source_url" > "$workdir/source.txt"
counts "$server/$scratch" > "$workdir/restored.txt"
if ! diff -u "$workdir/source.txt" "$workdir/restored.txt"; then
  echo "FAILED: the restored database differs from $source_db (diff above)" >&2
  exit 1
fi
tables=$(wc -l < "$workdir/source.txt")
rows=$(awk '{s += $2} END {print s}' "$workdir/source.txt")
echo "OK: $tables tables, $rows rows identical after restore"
