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

step "4. The mark and its code in camera scenes (bundled generated scenes)"
for f in 00001 00002 00004; do $BIN/mengscan scan "tests/samples/scenes-1/$f.jpg" || true; done
echo "-- code-free scenes (00005 shows a mark without a code):"
$BIN/mengscan scan "tests/samples/falsepositives-scenes-1" | head -n 3 || true

step "5. Certificate cache: a registry export imported in one transaction, then a label looked up"
BUNDLE=tests/samples/labels-demo
LOCAL="$DEMO_DIR/local-cache.sqlite"
$BIN/mengscan cache import --cache "$LOCAL" "$BUNDLE/registry.jsonl"
$BIN/mengscan cache stats --cache "$LOCAL"
label=$(sed 's/.*"payload":"\([^"]*\)".*/\1/' "$BUNDLE/00-genuine.label.json")
$BIN/mengscan cache lookup --cache "$LOCAL" "$label"

step "6. The reference registry on loopback (TLS), and the device syncing from it"
REG_DIR="$DEMO_DIR/registry"; REG="$REG_DIR/registry.sqlite"; mkdir -p "$REG_DIR"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -keyout "$REG_DIR/tls.key" -out "$REG_DIR/tls.crt" -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 2>/dev/null
$BIN/mengscan-registry --db "$REG" init
$BIN/mengscan-registry --db "$REG" import "$BUNDLE/registry.jsonl"
$BIN/mengscan-registry --db "$REG" serve --listen 127.0.0.1:0 --quiet \
  --cert "$REG_DIR/tls.crt" --key-file "$REG_DIR/tls.key" \
  --port-file "$REG_DIR/port" > "$REG_DIR/serve.log" 2>&1 &
REG_PID=$!
trap 'kill -9 $REG_PID 2>/dev/null || true' EXIT
for _ in $(seq 200); do [ -s "$REG_DIR/port" ] && break; sleep 0.05; done
URL="https://127.0.0.1:$(cat "$REG_DIR/port")"
CACHE="$DEMO_DIR/synced-cache.sqlite"
SYNC_ARGS=(--server "$URL" --cache "$CACHE" --trust "$REG.trust-anchor.pem" --ca-file "$REG_DIR/tls.crt")
$BIN/mengscan sync "${SYNC_ARGS[@]}"

step "7. Verdicts on the bundled labels (file name = what the label really is)"
$BIN/mengscan scan --cache "$CACHE" --location "demo shelf 3" "$BUNDLE" || true

step "8. Upstream revokes the genuine label's certificate; a delta sync; the same label again"
genuine_cert=$(sed 's/.*"cert_no":"\([^"]*\)".*/\1/' "$BUNDLE/00-genuine.label.json")
$BIN/mengscan-registry --db "$REG" cert set-status "$genuine_cert" revoked --reason "demo: revoked upstream"
$BIN/mengscan sync "${SYNC_ARGS[@]}"
$BIN/mengscan sync --status --cache "$CACHE"
$BIN/mengscan scan --cache "$CACHE" "$BUNDLE/00-genuine.jpg" || true

step "9. Anomaly reports: queued with evidence before each verdict was shown, then uploaded"
TOKEN=$($BIN/mengscan-registry --db "$REG" device add demo-device-01)
$BIN/mengscan reports --status --cache "$CACHE"
$BIN/mengscan reports --upload --server "$URL" --token "$TOKEN" --ca-file "$REG_DIR/tls.crt" \
  --cache "$CACHE"
$BIN/mengscan reports --status --cache "$CACHE"
echo "-- what the registry received:"
$BIN/mengscan-registry --db "$REG" reports list | head -n 8
kill $REG_PID; wait $REG_PID 2>/dev/null || true

echo
echo "demo files are in $DEMO_DIR"
