#!/usr/bin/env bash
# Runs a command with Node.js 24 first on PATH (scripts/use-node.sh), so `npm start`, `npm test`
# and the bench run on the supported runtime even where the machine's own Node is older, and
# resolve the workspaces' packages to their TypeScript sources (the "source" export condition)
# rather than to dist/, for them and every Node process they start.
set -euo pipefail
# shellcheck source=scripts/use-node.sh
. "$(dirname "$0")/use-node.sh"
case " ${NODE_OPTIONS:-} " in
  *' --conditions=source '*) ;;
  *) export NODE_OPTIONS="--conditions=source${NODE_OPTIONS:+ $NODE_OPTIONS}" ;;
esac
exec "$@"
