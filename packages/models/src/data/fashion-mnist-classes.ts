/**
 * Fashion-MNIST's ten classes, by label. A module of its own (no file access), so the browser
 * entry shares it with the loader in `fashion-mnist.ts`.
 * @module
 */

/** Fashion-MNIST's class names; `FASHION_MNIST_CLASS_NAMES[label]` names a label 0..9. */
export const FASHION_MNIST_CLASS_NAMES: readonly string[] = Object.freeze([
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
]);
