#!/usr/bin/env bash
# THERE, in one device call (see prepare.sh):
#   run(command: "bash scripts/device/run-all.sh", carry: [".device", ".gl"], timeout_s: 560)
# Records the card, the full d2l recipe (10 epochs) on WebGPU, then the WebGPU benchmark at batch 256,
# into $OUT (at most 8 files come back).
set -uo pipefail
OUT="${OUT:-/tmp/device-out}"
mkdir -p "$OUT"
source scripts/device/setup.sh
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv > "$OUT/nvidia-smi.csv"
cat "$OUT/nvidia-smi.csv"
TRAIN=("$NODE" packages/models/dist/cli/train.js --backend gpu --gpu-mode webgpu --model lenet5
  --epochs "${EPOCHS:-10}" --lr 0.9 --batch-size 256 --seed 1 --out "$OUT/run")
if [ -x /usr/bin/time ]; then TRAIN=(/usr/bin/time -v "${TRAIN[@]}"); fi
timeout "${TRAIN_TIMEOUT:-400}" "${TRAIN[@]}" 2>&1 | grep -v 'epoch .*\[' | tee "$OUT/train.log"
timeout "${BENCH_TIMEOUT:-150}" "$NODE" packages/models/dist/cli/bench.js --modes webgpu --device-info --batch 256 --steps 10 --kernel-reps 5 \
  --out "$OUT/bench-webgpu-b256.json" > "$OUT/bench-webgpu-b256.md" 2> "$OUT/bench.err"
tail -n 30 "$OUT/bench-webgpu-b256.md"
nvidia-smi --query-gpu=name,utilization.gpu,memory.used --format=csv >> "$OUT/nvidia-smi.csv"
