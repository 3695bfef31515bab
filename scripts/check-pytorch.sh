#!/usr/bin/env bash
# Checks safetensors against real PyTorch both ways (issue 13): backprop's file loads into the
# README's nn.Sequential with load_state_dict(strict=True) and predicts the same to 1e-5, and a
# file PyTorch saves loads into backprop and predicts the same. Installs Debian's python3-torch
# when torch is missing. Needs `npm run build` (npm test runs it) for packages/core/dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=/usr/bin/python3
if ! "$PYTHON" -c 'import torch' 2>/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update && apt-get install -y python3-torch
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
node scripts/check-pytorch.mjs write "$dir"
"$PYTHON" scripts/check-pytorch.py "$dir"
node scripts/check-pytorch.mjs read "$dir"
