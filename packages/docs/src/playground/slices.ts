/**
 * Drawing in slices: each piece of a view in a task of its own, so that no main-thread task is
 * long (the page stays responsive while the worker trains). A newer drawing of the same view
 * cancels the slices an older one has left.
 * @module
 */

/** Runs `pieces` one task each; stops early once `current()` is false (a newer drawing began). */
export async function inSlices(pieces: ReadonlyArray<() => void>, current: () => boolean): Promise<void> {
  for (const piece of pieces) {
    if (!current()) return;
    piece();
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
}
