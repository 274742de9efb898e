/**
 * Noticing a run that diverges without ever producing NaN: with `--lr 1e6` the loss climbs to
 * millions and stays finite, so the NaN check never fires. d2l would keep going and let the curve
 * show it; so does this, but it says so.
 * @module
 */

/** How many times its first value the loss must reach to be called diverging (two orders of magnitude). */
export const DIVERGENCE_FACTOR = 100;

/**
 * Remembers the first step's loss and warns when an epoch's mean training loss has grown past
 * {@link DIVERGENCE_FACTOR} times it.
 *
 * @example
 * ```ts
 * const watch = new DivergenceWatch();
 * watch.observeStep(2.31);
 * watch.checkEpoch(3.5e6, 1e6); // 'the training loss (3.5e+6) is 1.5e+6 times its first value (2.31): …'
 * ```
 */
export class DivergenceWatch {
  private first: number | undefined;

  /** Records a step's loss; only the first finite one is kept. */
  observeStep(loss: number): void {
    if (this.first === undefined && Number.isFinite(loss) && loss > 0) this.first = loss;
  }

  /** A warning for an epoch whose mean loss is past the threshold, or null. */
  checkEpoch(trainLoss: number, lr: number): string | null {
    if (this.first === undefined || !(trainLoss > DIVERGENCE_FACTOR * this.first)) return null;
    const ratio = trainLoss / this.first;
    const smaller = Number((lr / 10).toPrecision(3));
    return (
      `the training loss (${trainLoss.toPrecision(3)}) is ${ratio.toPrecision(2)} times its first value (${this.first.toPrecision(3)}): ` +
      `the run is diverging; training goes on, but a smaller learning rate such as --lr ${smaller} should do better`
    );
  }
}
