/**
 * Watching what a parser allocates. A parser that trusts a length field before checking it
 * (`new Uint8Array(claimed)`) can be made to reserve gigabytes by an eight-byte file; the fuzz
 * property forbids that by running each case with a budget: every typed array, `ArrayBuffer` and
 * `Buffer.alloc*` that code creates through the globals is charged, and one that would take the
 * total past the budget throws {@link AllocationBudgetExceeded} *before* any memory is reserved.
 *
 * It works because module code looks `Uint8Array` up on the global object each time it runs: the
 * constructors are swapped for proxies while the case runs and put back afterwards. Node's own
 * internals keep the originals (they captured them at start-up), so only the parser's code is
 * charged. Views of an existing buffer (`new Uint8Array(buffer, offset)`, `subarray`) cost nothing.
 * @module
 */

/** What a parser tried to allocate beyond its budget. */
export class AllocationBudgetExceeded extends Error {
  constructor(
    readonly requestedBytes: number,
    readonly budgetBytes: number,
    readonly what: string,
  ) {
    super(`${what} of ${requestedBytes} bytes would take the allocations past the budget of ${budgetBytes} bytes`);
    this.name = 'AllocationBudgetExceeded';
  }
}

/** The typed-array constructors that are charged. */
const TYPED_ARRAYS = [
  'Uint8Array',
  'Int8Array',
  'Uint8ClampedArray',
  'Uint16Array',
  'Int16Array',
  'Uint32Array',
  'Int32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
] as const;
const BUFFER_ALLOCATORS = ['alloc', 'allocUnsafe', 'allocUnsafeSlow'] as const;

/** Bytes a typed-array constructor call with `args` would allocate (0 for a view of an existing buffer). */
function typedArrayBytes(args: readonly unknown[], bytesPerElement: number): number {
  const [first] = args;
  if (typeof first === 'number') return first * bytesPerElement;
  if (first instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && first instanceof SharedArrayBuffer)) return 0;
  if (first !== null && typeof first === 'object' && 'length' in first && typeof first.length === 'number') {
    return first.length * bytesPerElement;
  }
  return 0; // an iterable without a length: its elements are counted as they come, which the budget cannot see in advance
}

/**
 * Runs `action` (sync or async) with allocations charged against `budgetBytes`; restores the
 * globals when it settles. Returns what `action` returns, and the bytes charged.
 * @throws {@link AllocationBudgetExceeded} (from inside `action`) at the allocation that would exceed the budget.
 */
export async function withAllocationBudget<T>(
  budgetBytes: number,
  action: () => T | Promise<T>,
): Promise<{ value: T; chargedBytes: number }> {
  let charged = 0;
  const charge = (bytes: number, what: string): void => {
    if (!(charged + bytes <= budgetBytes)) throw new AllocationBudgetExceeded(bytes, budgetBytes, what);
    charged += bytes;
  };
  const originals = new Map<string, unknown>();
  for (const name of TYPED_ARRAYS) {
    const original = globalThis[name];
    originals.set(name, original);
    const chargedConstructor = new Proxy(original, {
      construct(target, args, newTarget) {
        charge(typedArrayBytes(args, target.BYTES_PER_ELEMENT), `new ${name}`);
        return Reflect.construct(target, args, newTarget);
      },
    });
    Reflect.set(globalThis, name, chargedConstructor);
  }
  originals.set('ArrayBuffer', globalThis.ArrayBuffer);
  const chargedArrayBuffer = new Proxy(globalThis.ArrayBuffer, {
    construct(target, args, newTarget) {
      charge(typeof args[0] === 'number' ? args[0] : 0, 'new ArrayBuffer');
      return Reflect.construct(target, args, newTarget);
    },
  });
  Reflect.set(globalThis, 'ArrayBuffer', chargedArrayBuffer);
  const bufferMethods = new Map<string, unknown>();
  for (const name of BUFFER_ALLOCATORS) {
    const original = Buffer[name];
    bufferMethods.set(name, original);
    const chargedMethod = (size: number, ...rest: unknown[]): Buffer => {
      charge(size, `Buffer.${name}`);
      return Reflect.apply(original, Buffer, [size, ...rest]);
    };
    Reflect.set(Buffer, name, chargedMethod);
  }
  try {
    const value = await action();
    return { value, chargedBytes: charged };
  } finally {
    for (const [name, original] of originals) Reflect.set(globalThis, name, original);
    for (const [name, method] of bufferMethods) Reflect.set(Buffer, name, method);
  }
}
