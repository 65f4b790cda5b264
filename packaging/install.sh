#!/usr/bin/env bash
# Installs the release binaries:  packaging/install.sh [PREFIX]   (default /usr/local)
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=${1:-/usr/local}
swift build -c release --static-swift-stdlib
install -d "$prefix/bin"
install -m 0755 .build/release/oauth-relay .build/release/oauth-relay-dev-server "$prefix/bin/"
echo "installed oauth-relay and oauth-relay-dev-server into $prefix/bin" >&2
