#!/bin/sh
# federation-gateway-audit's run script for our gateway (scripts/federation-audit.sh): the
# audit calls it once per suite with the suite's id; it fetches that suite's supergraph from the
# audit's subgraph server and serves it with our whole gateway on 127.0.0.1:4000.
set -e
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
supergraph="${TMPDIR:-/tmp}/cinemaabyss-audit-supergraph.graphql"
curl -fsS --max-time 10 "http://127.0.0.1:4200/$1/supergraph" -o "$supergraph"
cd "$repo"
exec bash scripts/with-node.sh node --import tsx bench/src/audit/auditGatewayMain.ts "$supergraph"
