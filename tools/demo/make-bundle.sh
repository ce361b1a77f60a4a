#!/usr/bin/env bash
# Regenerates the demo bundle in tests/samples/labels-demo/ (committed, so `make demo`
# runs on bundled data): a small registry import file from mengscan-gen-cache and one
# clean label scene per truth class (genuine, forged, revoked, ...) from
# mengscan-gen-scenes. Deterministic: same seeds, same files.
#   tools/demo/make-bundle.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-build}/bin
OUT=tests/samples/labels-demo
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

"$BIN/mengscan-gen-cache" --out "$TMP" --seed 7 --certificates 60 --item-codes 3000 \
    --labels 40 --flags 20 --today 2026-12-01 >/dev/null
rm -rf "$OUT"
mkdir -p "$OUT"
cp "$TMP/cache.jsonl" "$OUT/registry.jsonl"

# The first label of each truth class, one scene each.
i=0
while IFS= read -r line; do
    printf '%s\n' "$line" > "$TMP/one.jsonl"
    "$BIN/mengscan-gen-scenes" --count 1 --start "$i" --seed 3 --out "$TMP/scenes" --clean \
        --kind mark_and_code --labels "$TMP/one.jsonl" --jobs 1 >/dev/null
    truth=$(printf '%s' "$line" | sed -E 's/.*"truth":"([^"]+)".*/\1/')
    name=$(printf '%02d-%s' "$i" "$truth")
    cp "$TMP/scenes/$(printf '%05d' "$i").jpg" "$OUT/$name.jpg"
    printf '%s\n' "$line" > "$OUT/$name.label.json"
    i=$((i + 1))
done < <(awk -F'"truth":"' '{split($2, a, "\""); if (!seen[a[1]]++) print}' "$TMP/labels.jsonl")
echo "wrote $i labels and registry.jsonl to $OUT"
