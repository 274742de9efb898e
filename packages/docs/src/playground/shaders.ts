/**
 * "See the shaders": the GLSL or WGSL that GPU.js generated for each kernel the running backend
 * compiled, read from the backend itself (`GpuBackend.shaderSource`).
 * @module
 */
import { KERNEL_CATALOGUE, type GpuBackend } from '@lenet/backend-gpu';

/** Which layers of LeNet-5 run a kernel, by the kernel function's name. */
const USED_BY: ReadonlyArray<[RegExp, string]> = [
  [/^fusedConv2d/, 'C1, C3 (convolution + bias + activation, one kernel)'],
  [/^(conv2dBackprop|sumParts)/, 'C1, C3 (backward)'],
  [/^conv2d/, 'C1, C3'],
  [/^fusedMatmul/, 'C5, F6, OUTPUT (matrix product + bias + activation)'],
  [/^matmul/, 'C5, F6, OUTPUT'],
  [/^(avg|max)Pool2dBackprop/, 'S2, S4 (backward)'],
  [/^(avg|max)Pool2d/, 'S2, S4'],
  [/^(sigmoid|relu|tanh)Grad/, 'activations (backward)'],
  [/^(sigmoid|relu|tanh)/, 'activations'],
  [/^(softmax|logSoftmax|classificationMetrics)/, 'loss and accuracy'],
  [/^sgdUpdate/, 'SGD update'],
];

/** One generated shader. */
export interface ShaderListing {
  readonly kernel: string;
  readonly usedBy: string;
  readonly source: string;
}

/** The shaders of every kernel `backend` has compiled so far. */
export function compiledShaders(backend: GpuBackend): ShaderListing[] {
  // the package's one kernel table lists every kernel, the fused ones and the loss seed included
  const names = Object.values(KERNEL_CATALOGUE).map((entry) => entry.kernel.name);
  const listings: ShaderListing[] = [];
  for (const kernel of names) {
    const source = backend.shaderSource(kernel);
    if (source === null) continue;
    const usedBy = USED_BY.find(([pattern]) => pattern.test(kernel))?.[1] ?? 'tensor arithmetic';
    listings.push({ kernel, usedBy, source });
  }
  return listings;
}
