/**
 * Initialisation of parameters: fan computation, Xavier uniform, PyTorch's default (He uniform with
 * a = √5) and zeros.
 * @module
 */
export { computeFans, type Fans } from './fans.js';
export { kaimingUniformBound, pytorchDefault, pytorchDefaultBound } from './pytorch-default.js';
export { uniformFill, uniformValues } from './uniform.js';
export { xavierUniform, xavierUniformBound } from './xavier.js';
export { zeros } from './zeros.js';
