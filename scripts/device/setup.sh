#!/usr/bin/env bash
# Sourced THERE (the lent GPU machine), from the repository root: unpacks what prepare.sh packed and
# sets NODE to the carried node binary. Dawn then finds NVIDIA's Vulkan driver by itself
# (measured on an H200: a core-level adapter "nvidia-h200", no VK_DRIVER_FILES needed).
for deb in .gl/*.deb; do dpkg -x "$deb" /; done
ldconfig
NODE=/tmp/node-carried
python3 -c "import lzma, shutil; shutil.copyfileobj(lzma.open('.device/node.xz'), open('$NODE', 'wb'))"
chmod +x "$NODE"
mkdir -p node_modules/@lenet
python3 -c "import tarfile; tarfile.open('.device/modules.tar.xz').extractall('node_modules'); tarfile.open('.device/dist.tar.xz').extractall('.')"
for package in core backend-cpu backend-gpu models; do ln -sfn "../../packages/$package" "node_modules/@lenet/$package"; done
if ! ls /usr/share/vulkan/icd.d/nvidia* /etc/vulkan/icd.d/nvidia* >/dev/null 2>&1; then
  for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/nvidia/vulkan/icd.d/nvidia_icd.json; do
    if [ -e "$icd" ]; then export VK_DRIVER_FILES="$icd"; break; fi
  done
fi
export NODE
