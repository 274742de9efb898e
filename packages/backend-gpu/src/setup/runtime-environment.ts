/**
 * Where this package runs: Node (where WebGPU comes from Dawn and WebGL from headless-gl) or a
 * browser (where both are native).
 * @module
 */

/** Whether this is Node (or a Node-compatible runtime) rather than a browser. */
export function isNodeRuntime(): boolean {
  const processObject: unknown = Reflect.get(globalThis, 'process');
  if (typeof processObject !== 'object' || processObject === null) {
    return false;
  }
  const versions: unknown = Reflect.get(processObject, 'versions');
  return typeof versions === 'object' && versions !== null && typeof Reflect.get(versions, 'node') === 'string';
}
