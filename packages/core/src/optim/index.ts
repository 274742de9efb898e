/**
 * Optimisers (PyTorch's `torch.optim`): {@link SGD} with momentum and weight decay.
 * @module
 */
export { SGD, type SgdOptions, type SgdState, type SgdStepOptions } from './sgd.js';
