#!/usr/bin/env bash
# `make demo`: the main job on bundled data, step by step. Each step says what it shows.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=build/bin
SHARED=../shared
DEMO_DIR=${DEMO_DIR:-$(mktemp -d /tmp/mengscan-demo.XXXXXX)}
export MENGSCAN_DATA_DIR="$DEMO_DIR/data"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "1. Read the codes on real photographs (human-readable lines)"
$BIN/mengscan scan "$SHARED/corpus/qr-real/qrcode-1" || true

step "2. The same as JSON Lines, as other programs consume it (first 3 lines)"
$BIN/mengscan scan --json "$SHARED/corpus/qr-real/qrcode-3" | head -n 3 || true

step "3. An unreadable file is reported and the scan goes on (exit status 1)"
printf 'not an image' > "$DEMO_DIR/broken.png"
set +e
$BIN/mengscan scan --json "$DEMO_DIR/broken.png" "$SHARED/corpus/qr-real/qrcode-1/1.webp"
echo "exit status: $?"
set -e

step "Certificate cache: generated registry data imported in one transaction, then looked up"
$BIN/mengscan-gen-cache --out "$DEMO_DIR/gen" --seed 1
$BIN/mengscan cache import "$DEMO_DIR/gen/cache.jsonl"
$BIN/mengscan cache stats
label=$(head -n 1 "$DEMO_DIR/gen/labels.jsonl" | sed 's/.*"payload":"\([^"]*\)".*/\1/')
$BIN/mengscan cache lookup "$label"

step "Sync: the reference registry on loopback publishes signed versions; the device syncs"
REG_DIR="$DEMO_DIR/registry"; REG="$REG_DIR/registry.sqlite"; mkdir -p "$REG_DIR"
$BIN/mengscan-registry --db "$REG" init
$BIN/mengscan-registry --db "$REG" import "$DEMO_DIR/gen/cache.jsonl"
$BIN/mengscan-registry --db "$REG" serve --listen 127.0.0.1:0 --plain-http --quiet \
  --port-file "$REG_DIR/port" > "$REG_DIR/serve.log" 2>&1 &
REG_PID=$!
trap 'kill $REG_PID 2>/dev/null || true' EXIT
for _ in $(seq 200); do [ -s "$REG_DIR/port" ] && break; sleep 0.05; done
SYNC_ARGS=(--server "http://127.0.0.1:$(cat "$REG_DIR/port")" --cache "$DEMO_DIR/synced-cache.sqlite"
  --trust "$REG.trust-anchor.pem" --allow-plain-http)
$BIN/mengscan sync "${SYNC_ARGS[@]}"
revoked=$(grep -m1 '"type":"certificate"' "$DEMO_DIR/gen/cache.jsonl" | sed 's/.*"cert_no":"\([^"]*\)".*/\1/')
$BIN/mengscan-registry --db "$REG" cert set-status "$revoked" revoked --reason "demo: revoked upstream"
$BIN/mengscan sync "${SYNC_ARGS[@]}"
$BIN/mengscan sync --status --cache "$DEMO_DIR/synced-cache.sqlite"

step "Reports: non-genuine verdicts are queued with evidence, then uploaded to the registry"
TOKEN=$($BIN/mengscan-registry --db "$REG" device add demo-device-01)
$BIN/mengscan scan --json --cache "$DEMO_DIR/synced-cache.sqlite" --location "demo bench" \
  "$SHARED/corpus/qr-real/qrcode-1" > "$DEMO_DIR/report-scan.jsonl" || true
$BIN/mengscan reports --status --cache "$DEMO_DIR/synced-cache.sqlite"
$BIN/mengscan reports --upload --server "http://127.0.0.1:$(cat "$REG_DIR/port")" --token "$TOKEN" \
  --allow-plain-http --cache "$DEMO_DIR/synced-cache.sqlite"
$BIN/mengscan-registry --db "$REG" reports list | head -n 5
kill $REG_PID; wait $REG_PID 2>/dev/null || true

echo
echo "demo files are in $DEMO_DIR"
