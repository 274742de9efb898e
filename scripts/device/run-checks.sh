#!/usr/bin/env bash
# THERE, in one device call, after run-all.sh recorded a run (see prepare.sh):
#   run(command: "bash scripts/device/run-checks.sh", carry: [".device", ".gl"], timeout_s: 400)
# 1. the recorded LeNet.ts checkpoint evaluated by PyTorch, and d2l's recipe trained in PyTorch on
#    the same GPU (pytorch_check.py); 2. PyTorch's trained weights evaluated back in LeNet.ts on
#    WebGPU; 3. the WebGPU benchmark with backend-cpu measured in the same run (the ratio column).
set -uo pipefail
OUT="${OUT:-/tmp/device-out}"
RUN="${RUN:-packages/models/runs-recorded/2026-11-27-lenet5-webgpu-h200}"
mkdir -p "$OUT"
source scripts/device/setup.sh
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv > "$OUT/nvidia-smi.csv"
PYTHONUNBUFFERED=1 timeout 150 python3 scripts/device/pytorch_check.py "$RUN" "$OUT" 2>&1 | tee "$OUT/pytorch.log"
timeout 60 "$NODE" packages/models/dist/cli/evaluate.js --checkpoint "$OUT/pytorch-lenet5.safetensors" \
  --backend gpu --gpu-mode webgpu 2>&1 | grep -v '^Warning\|^    at ' | tee "$OUT/evaluate-pytorch-weights.log"
# The benchmark: exactly the arguments packages/backend-gpu/README.md states for the H200 table
# (`npm run bench -- …` there is `node packages/models/dist/cli/bench.js …` here). Commit the JSON as
# packages/models/bench-results/<date>-nvidia-h200.json and the printed tables and adapter limits
# (--device-info) beside it as <date>-nvidia-h200.md; the README may state only what those hold.
BENCH_ARGS=(--modes webgpu,webasm --baseline --device-info --no-kernels --batch 256 --steps 3)
timeout 150 "$NODE" packages/models/dist/cli/bench.js "${BENCH_ARGS[@]}" \
  --out "$OUT/bench-webgpu-h200.json" > "$OUT/bench-webgpu-h200.md" 2>/dev/null
cat "$OUT/bench-webgpu-h200.md"
