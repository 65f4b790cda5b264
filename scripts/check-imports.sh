#!/usr/bin/env bash
# The modules linked into oauth-relay use FoundationEssentials, never the whole of Foundation:
# Foundation brings ICU (30 MB of data) and CoreFoundation into the static binary, which made it
# three times larger and cost about 6 MiB of resident memory per relay process.
set -euo pipefail
cd "$(dirname "$0")/.."
modules=(OAuthRelay RelayCLI TokenStores CurlHTTP MicroHTTP RelayCrypto)
found=$(grep -rlE '^(@_exported )?import (Foundation|FoundationNetworking|FoundationXML)$' \
  "${modules[@]/#/Sources/}" || true)
if [ -n "$found" ]; then
  echo "These files of the relay import Foundation; use FoundationEssentials (and Glibc, Dispatch):" >&2
  echo "$found" >&2
  exit 1
fi
