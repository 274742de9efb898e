#!/usr/bin/env bash
# THERE, in one device call (see prepare.sh):
#   run(command: "bash scripts/device/run-all.sh", carry: [".device", ".gl"], timeout_s: 560)
# Records the card and the full d2l recipe (10 epochs) on WebGPU into $OUT (at most 8 files come
# back). The benchmark is run-checks.sh's, with the arguments the backend-gpu README states.
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
nvidia-smi --query-gpu=name,utilization.gpu,memory.used --format=csv >> "$OUT/nvidia-smi.csv"
