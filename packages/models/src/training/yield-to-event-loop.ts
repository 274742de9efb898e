/**
 * Giving the event loop a turn between two steps of a long computation.
 * @module
 */

/**
 * Lets the event loop run: signal handlers (Ctrl-C's), stream writes and timers in Node; clicks,
 * paints and a worker's messages in a browser. On the CPU backend every `await` in a step resolves
 * at once, as a microtask, so without this a loop would never give them a chance. Node's
 * `setImmediate` where there is one (no delay), `setTimeout(0)` elsewhere.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}
