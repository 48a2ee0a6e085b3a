#!/usr/bin/env bash
# Runs The Guild's federation-gateway-audit (github.com/graphql-hive/federation-gateway-audit)
# against stock @apollo/gateway (the audit's own example) and against our gateway, one after the
# other, and prints each one's score. The audit is not vendored: pass a checkout of it, with its
# dependencies installed (docs/federation-audit.md says how).
#
#   scripts/federation-audit.sh <audit checkout> [stock] [ours]
set -euo pipefail
audit=$(cd "${1:?usage: scripts/federation-audit.sh <federation-gateway-audit checkout> [stock] [ours]}" && pwd)
shift
if [ $# -gt 0 ]; then gateways=("$@"); else gateways=(stock ours); fi
repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/use-node.sh
source "$repo/scripts/use-node.sh"

export AUDIT_DATABASE_URL=${AUDIT_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/cinemaabyss_audit}
if ! psql "${AUDIT_DATABASE_URL%/*}/postgres" -tAc "select 1 from pg_database where datname = 'cinemaabyss_audit'" | grep -q 1; then
  psql "${AUDIT_DATABASE_URL%/*}/postgres" -qc 'create database cinemaabyss_audit'
fi
# A gateway gets 30 s to answer /health (the audit's default, 5 s, is short on two cores).
export GATEWAY_TIMEOUT=${GATEWAY_TIMEOUT:-30000}
out="$repo/bench/audit/results"
mkdir -p "$out"

cd "$audit"
for gateway in "${gateways[@]}"; do
  case "$gateway" in
    stock) cwd="$audit/gateways/apollo-gateway" ;;
    ours) cwd="$repo/bench/audit" ;;
    *) echo "unknown gateway $gateway (stock or ours)" >&2; exit 2 ;;
  esac
  started=$(date +%s)
  # The audit exits 0 whatever the score; results.txt has it.
  npm start -- test --cwd "$cwd" --run-script ./run.sh \
    --graphql http://127.0.0.1:4000/graphql --healthcheck http://127.0.0.1:4000/health \
    --write results.txt > "$out/$gateway.log" 2>&1
  cp "$cwd/results.txt" "$out/$gateway.txt"
  echo "$gateway: $(grep -E '^(Total|Passed|Failed):' "$out/$gateway.txt" | tr '\n' ' ')in $(( $(date +%s) - started )) s"
done
