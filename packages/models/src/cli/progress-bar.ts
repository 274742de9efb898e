/**
 * A progress bar for long loops (an epoch's batches, a download's bytes). On a terminal it redraws one
 * line in place; when the output is a file or a pipe (CI logs, `| tee`) it prints a plain line every
 * tenth of the way instead, so logs stay readable.
 *
 * ```text
 * epoch 3 [###########...................]  37% 94/235 12.3/s eta 11s loss 0.512
 * ```
 *
 * LeNet.ts's own rather than `cli-progress`: see the models README ("Options and the progress bar").
 * @module
 */
import type { DownloadEvent } from '../data/download.js';

/** Where a progress bar writes: `process.stderr`, or anything with `write` (tests pass a collector). */
export interface ProgressStream {
  /** Write a chunk of text. */
  write(chunk: string): unknown;
  /** True for a terminal: redraw in place. Otherwise lines are printed. */
  readonly isTTY?: boolean;
  /** The terminal's width; lines are cut to fit so they never wrap. */
  readonly columns?: number;
}

/** Options of {@link ProgressBar}. */
export interface ProgressBarOptions {
  /** Printed before the bar, e.g. `epoch 3` or `train-images-idx3-ubyte.gz`. */
  readonly label: string;
  /** The value at completion (batches, bytes); `undefined` when unknown (then no bar or percentage). */
  readonly total?: number;
  /** Where to write; default `process.stderr`. */
  readonly stream?: ProgressStream;
  /** How to print amounts, e.g. {@link formatBytes}; default: the integer as is. */
  readonly formatAmount?: (amount: number) => string;
  /** Characters of the bar itself; default 30. */
  readonly barWidth?: number;
  /** Minimum milliseconds between two redraws on a terminal; default 100. */
  readonly minRedrawMs?: number;
  /** The clock in milliseconds; default `performance.now`. Tests inject a fake one. */
  readonly now?: () => number;
}

/**
 * Format a byte count with binary units.
 *
 * @example
 * ```ts
 * formatBytes(512);      // '512 B'
 * formatBytes(9912422);  // '9.5 MiB'
 * ```
 */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * Format seconds as `45s`, `3m07s` or `1h02m`.
 *
 * @example
 * ```ts
 * formatDuration(187); // '3m07s'
 * ```
 */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole}s`;
  if (whole < 3600) return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(whole / 3600)}h${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * A progress bar: call {@link ProgressBar.update} with the amount done so far, and
 * {@link ProgressBar.finish} once at the end.
 *
 * @example
 * ```ts
 * const bar = new ProgressBar({ label: 'epoch 1', total: batches });
 * for (let batch = 0; batch < batches; batch++) {
 *   // … train on the batch …
 *   bar.update(batch + 1, `loss ${loss.toFixed(3)}`);
 * }
 * bar.finish();
 * ```
 */
export class ProgressBar {
  private readonly label: string;
  private readonly total: number | undefined;
  private readonly stream: ProgressStream;
  private readonly formatAmount: (amount: number) => string;
  private readonly formatRate: (rate: number) => string;
  private readonly barWidth: number;
  private readonly minRedrawMs: number;
  private readonly now: () => number;
  private readonly startedAt: number;
  private lastRedrawAt = -Infinity;
  private lastTenthPrinted = 0;
  private done = 0;
  private suffix = '';
  private finished = false;

  /** Create the bar; nothing is written until the first update. */
  constructor(options: ProgressBarOptions) {
    this.label = options.label;
    this.total = options.total !== undefined && options.total > 0 ? options.total : undefined;
    this.stream = options.stream ?? process.stderr;
    this.formatAmount = options.formatAmount ?? ((amount) => String(Math.round(amount)));
    // A slow rate (the CPU backend does well under one step a second) keeps one decimal.
    this.formatRate = options.formatAmount ?? ((rate) => (rate < 10 ? rate.toFixed(1) : String(Math.round(rate))));
    this.barWidth = options.barWidth ?? 30;
    this.minRedrawMs = options.minRedrawMs ?? 100;
    this.now = options.now ?? (() => performance.now());
    this.startedAt = this.now();
  }

  /**
   * Report progress.
   *
   * @param done - the amount done so far (batches, bytes), between 0 and `total`.
   * @param suffix - extra text after the bar, e.g. `loss 0.512`; kept until the next update gives one.
   */
  update(done: number, suffix?: string): void {
    if (this.finished) return;
    this.done = done;
    if (suffix !== undefined) this.suffix = suffix;
    if (this.stream.isTTY === true) {
      const time = this.now();
      if (time - this.lastRedrawAt < this.minRedrawMs && done !== this.total) return;
      this.lastRedrawAt = time;
      this.stream.write(`\r${this.fitToTerminal(this.line())}\x1b[K`);
      return;
    }
    if (this.total === undefined) return;
    const tenth = Math.floor((10 * done) / this.total);
    if (tenth > this.lastTenthPrinted && tenth < 10) {
      this.lastTenthPrinted = tenth;
      this.stream.write(`${this.line()}\n`);
    }
  }

  /**
   * Draw the final state and end the line. Later calls to `update` and `finish` do nothing.
   *
   * @param suffix - replaces the suffix, e.g. a summary of the epoch.
   */
  finish(suffix?: string): void {
    if (this.finished) return;
    if (suffix !== undefined) this.suffix = suffix;
    this.finished = true;
    const elapsed = (this.now() - this.startedAt) / 1000;
    const line = `${this.line(false)} in ${formatDuration(elapsed)}`;
    this.stream.write(this.stream.isTTY === true ? `\r${this.fitToTerminal(line)}\x1b[K\n` : `${line}\n`);
  }

  /** The text of the bar: label, bar, percentage, amounts, rate, time left and suffix. */
  private line(withEta = true): string {
    const parts = [this.label];
    const elapsed = (this.now() - this.startedAt) / 1000;
    const rate = elapsed > 0 ? this.done / elapsed : 0;
    if (this.total !== undefined) {
      const fraction = Math.min(1, Math.max(0, this.done / this.total));
      const filled = Math.round(fraction * this.barWidth);
      parts.push(`[${'#'.repeat(filled)}${'.'.repeat(this.barWidth - filled)}]`);
      parts.push(`${String(Math.floor(fraction * 100)).padStart(3)}%`);
      parts.push(`${this.formatAmount(this.done)}/${this.formatAmount(this.total)}`);
    } else {
      parts.push(this.formatAmount(this.done));
    }
    if (rate > 0) parts.push(`${this.formatRate(rate)}/s`);
    if (withEta && this.total !== undefined && rate > 0 && this.done < this.total) {
      parts.push(`eta ${formatDuration((this.total - this.done) / rate)}`);
    }
    if (this.suffix !== '') parts.push(this.suffix);
    return parts.join(' ');
  }

  private fitToTerminal(line: string): string {
    const columns = this.stream.columns;
    return columns !== undefined && columns > 1 && line.length >= columns ? line.slice(0, columns - 1) : line;
  }
}

/**
 * A bar per downloaded file, for `ensureDownloaded`'s and `loadMnist`'s `onProgress`, and a line for
 * a cached file that is fetched again.
 *
 * @example
 * ```ts
 * await loadMnist({ onProgress: downloadProgressBars(process.stderr) });
 * // downloading train-images-idx3-ubyte.gz [##########....]  70% 6.9 MiB/9.5 MiB 2.1 MiB/s eta 1s
 * ```
 */
export function downloadProgressBars(stream: ProgressStream): (event: DownloadEvent) => void {
  let bar: ProgressBar | undefined;
  return (event) => {
    switch (event.kind) {
      case 'refetch':
        stream.write(`${event.path}: cached file has the wrong checksum, downloading it again\n`);
        return;
      case 'progress':
        bar ??= new ProgressBar({ label: `downloading ${event.file.name}`, total: event.totalBytes, stream, formatAmount: formatBytes });
        bar.update(event.receivedBytes);
        return;
      case 'end':
        bar?.finish();
        bar = undefined;
        return;
    }
  };
}
