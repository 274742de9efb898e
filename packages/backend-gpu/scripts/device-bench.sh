#!/usr/bin/env bash
# The WebGPU benchmark on a lent GPU machine (see ../../shared notes device-gpu.md): that machine has
# no Node and no registry, so everything comes with the working tree. Run from the repository root:
#
#   run(command: "bash packages/backend-gpu/scripts/device-bench.sh",
#       carry: [".device", ".gl", "packages/core/dist", "packages/backend-gpu/dist"], timeout_s: 420)
#
# .device holds node.xz (the node binary) and modules.tar.xz (gpu.js, acorn, gpu-mock.js and the
# linux-x64 part of webgpu); .gl the Vulkan/EGL loader .debs. Results land in $OUT.
set -euo pipefail
OUT="${OUT:-/tmp/device-out}"
mkdir -p "$OUT"
exec > >(tee "$OUT/device-bench.log") 2>&1

echo "== loaders"
for deb in .gl/*.deb; do dpkg -x "$deb" /; done
ldconfig
ldconfig -p | grep -E 'libvulkan|libEGL' | head -4 || true

echo "== node"
NODE=/tmp/node-carried
python3 -c "import lzma, shutil; shutil.copyfileobj(lzma.open('.device/node.xz'), open('$NODE', 'wb'))"
chmod +x "$NODE"
"$NODE" --version
mkdir -p node_modules/@lenet
python3 -c "import tarfile; tarfile.open('.device/modules.tar.xz').extractall('node_modules')"
ln -sfn ../../packages/core node_modules/@lenet/core

# Dawn finds NVIDIA's Vulkan driver through its ICD file; point at it when the loader does not.
if ! ls /usr/share/vulkan/icd.d/nvidia* /etc/vulkan/icd.d/nvidia* >/dev/null 2>&1; then
  for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/nvidia/vulkan/icd.d/nvidia_icd.json; do
    if [ -e "$icd" ]; then export VK_DRIVER_FILES="$icd"; echo "VK_DRIVER_FILES=$icd"; break; fi
  done
fi

echo "== gpu"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv | tee "$OUT/nvidia-smi.csv" || true

echo "== bench, batch 256"
"$NODE" packages/backend-gpu/dist/bench/run-bench.js --modes webgpu --device-info --batch 256 --steps 10 --kernel-reps 20 \
  --out "$OUT/bench-webgpu-b256.json" | tee "$OUT/bench-webgpu-b256.md"
echo "== bench, batch 1024 (training step only)"
"$NODE" packages/backend-gpu/dist/bench/run-bench.js --modes webgpu --batch 1024 --steps 10 --no-kernels \
  --out "$OUT/bench-webgpu-b1024.json" | tee "$OUT/bench-webgpu-b1024.md"
