#!/usr/bin/env bash
# Run HERE (the development machine), from the repository root, after `npm ci && npm run build`.
# Packs what a lent GPU machine needs — it has no Node.js and no package registry — into two
# ignored folders that a device `run` carries:
#   .device/node.xz          the node binary (xz -9, ~24 MB)
#   .device/modules.tar.xz   gpu.js (src), acorn, gpu-mock.js and webgpu's linux-x64 dawn.node (~5 MB)
#   .device/dist.tar.xz      the built packages (core, backend-cpu, backend-gpu, models)
#   .gl/*.deb                the Vulkan and EGL loaders (libvulkan1, libglvnd, ...)
# See shared/notes/device-gpu.md and the backend-gpu README ("On a real GPU").
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
grep -qxF '/.device/' .git/info/exclude || echo '/.device/' >> .git/info/exclude
grep -qxF '/.gl/' .git/info/exclude || echo '/.gl/' >> .git/info/exclude
mkdir -p .device .gl
[ -s .device/node.xz ] || xz -9 -T1 -c "$(command -v node)" > .device/node.xz
(cd node_modules && tar -cJf ../.device/modules.tar.xz gpu.js/package.json gpu.js/src acorn gpu-mock.js \
  webgpu/package.json webgpu/index.js webgpu/types.d.ts webgpu/dist/linux-x64)
tar -cJf .device/dist.tar.xz packages/core/dist packages/backend-cpu/dist packages/backend-gpu/dist packages/models/dist
if ! ls .gl/libvulkan1_*.deb >/dev/null 2>&1; then
  lists=$(mktemp -d); mkdir -p "$lists/partial"
  o="-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=$lists"
  # shellcheck disable=SC2086
  apt-get $o update -qq && (cd .gl && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
fi
du -ch .device .gl | tail -1
