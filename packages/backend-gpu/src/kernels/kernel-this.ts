/**
 * What a kernel of this package may use besides its arguments: gpu.js's `this.thread` and
 * `this.constants`, and the **spliced snippets** below. A kernel calls a snippet as
 * `return this.name(arguments);`, its last statement in its block; before gpu.js parses the
 * kernel's source, `kernel-splice.ts` replaces that statement by the snippet's statements, written
 * once in this folder for every kernel (after tfjs-backend-webgpu's `activation_util.ts`). So an
 * activation, an epilogue or the SGD update is written in one place, and the generated shader or
 * WebAssembly is the same as if it were written out in each kernel.
 *
 * Why splicing and not gpu.js's helper functions (`addFunction`, the `functions` setting): helpers
 * compute the right values in every mode, but gpu.js's WebAssembly "lane-scalarizes" a helper call
 * (its `web-assembly/function-node.js`: helpers stay scalar functions, called once per SIMD lane),
 * which would undo the SIMD kernels of `webasm/`. The package README records the check.
 *
 * The kernel functions are never called as JavaScript: gpu.js only reads their source text, so
 * these methods exist in the type only.
 * @module
 */
import type { IKernelFunctionThis } from 'gpu.js';

/** The snippets a kernel may splice in (see the module comment), each a `return` of one value. */
export interface SplicedSnippets {
  /** f(z) for the activation `this.constants.activation` (`activations.ts`); `z` must be a local variable's name. */
  activate(z: number): number;
  /** dx = dy · f′ for the activation `this.constants.activation`, reading `input` as core's `activationGrad` does; both names of locals. */
  activationGradient(dy: number, input: number): number;
  /** z + bias (when `this.constants.hasBias` is 1), then the activation (`epilogue.ts`); `z` a `let` local. */
  fusedEpilogue(z: number, bias: number): number;
  /** The gradient epilogue of `this.constants.epilogue` applied to `result` (`gradient-epilogue.ts`); `other` read once per branch. */
  gradientEpilogue(result: number, other: number, lr: number): number;
  /** w − lr · g, the SGD update (`sgd-update.ts`). */
  sgdUpdate(w: number, lr: number, g: number): number;
}

/** `this` inside a kernel with constants `C`. */
export type KernelThis<C> = IKernelFunctionThis<C> & SplicedSnippets;
