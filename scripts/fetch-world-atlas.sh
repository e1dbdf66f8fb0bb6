#!/usr/bin/env bash
# Fetches Natural Earth country outlines (public domain) as TopoJSON from the
# npm package world-atlas (ISC licence) into crates/serve/assets/, where the
# reading room's map builds them into the binary. Re-run to refresh.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:-2.0.2}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "world-atlas@${version}" >/dev/null)
tar -xzf "$tmp"/world-atlas-*.tgz -C "$tmp"
cp "$tmp/package/countries-110m.json" crates/serve/assets/countries-110m.json
cp "$tmp/package/LICENSE" crates/serve/assets/world-atlas-LICENSE 2>/dev/null || true
echo "world-atlas ${version}: crates/serve/assets/countries-110m.json ($(wc -c < crates/serve/assets/countries-110m.json) bytes)"
