import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, ProgressBar, type ProgressStream } from '../src/cli/progress-bar.js';

/** A stream that records what is written, and a clock the test moves by hand. */
function harness(isTTY: boolean, columns?: number): { stream: ProgressStream & { text: string }; clock: { ms: number } } {
  const stream = {
    isTTY,
    columns,
    text: '',
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  };
  return { stream, clock: { ms: 0 } };
}

describe('formatting', () => {
  it('formats bytes and durations', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2048)).toBe('2.0 KiB');
    expect(formatBytes(9_912_422)).toBe('9.5 MiB');
    expect(formatDuration(4.4)).toBe('4s');
    expect(formatDuration(187)).toBe('3m07s');
    expect(formatDuration(3725)).toBe('1h02m');
  });
});

describe('ProgressBar on a terminal', () => {
  it('redraws one line in place with bar, percentage, amounts, rate, eta and suffix', () => {
    const { stream, clock } = harness(true);
    const bar = new ProgressBar({ label: 'epoch 2', total: 200, stream, barWidth: 10, now: () => clock.ms });
    clock.ms = 2000;
    bar.update(50, 'loss 0.512');
    expect(stream.text).toBe('\repoch 2 [###.......]  25% 50/200 25/s eta 6s loss 0.512\x1b[K');
  });

  it('shows a slow rate with one decimal instead of rounding it to 0', () => {
    const { stream, clock } = harness(true);
    const bar = new ProgressBar({ label: 'epoch 1', total: 235, stream, barWidth: 10, now: () => clock.ms });
    clock.ms = 10_000;
    bar.update(4);
    expect(stream.text).toBe('\repoch 1 [..........]   1% 4/235 0.4/s eta 9m38s\x1b[K');
  });

  it('redraws at most every minRedrawMs, but always at completion', () => {
    const { stream, clock } = harness(true);
    const bar = new ProgressBar({ label: 'x', total: 4, stream, now: () => clock.ms, minRedrawMs: 100 });
    clock.ms = 10;
    bar.update(1);
    clock.ms = 50;
    bar.update(2);
    bar.update(4);
    expect(stream.text.split('\r').length - 1).toBe(2);
    expect(stream.text).toContain('4/4');
    expect(stream.text).not.toContain('2/4');
  });

  it('finishes with the elapsed time and a newline, once', () => {
    const { stream, clock } = harness(true);
    const bar = new ProgressBar({
      label: 'dl',
      total: 3 * 1024 * 1024,
      stream,
      barWidth: 4,
      now: () => clock.ms,
      formatAmount: formatBytes,
    });
    clock.ms = 3000;
    bar.finish('done');
    bar.finish('again');
    bar.update(1);
    expect(stream.text).toBe('\rdl [....]   0% 0 B/3.0 MiB done in 3s\x1b[K\n');
  });

  it('cuts the line to the terminal width', () => {
    const { stream, clock } = harness(true, 20);
    const bar = new ProgressBar({ label: 'a long label here', total: 10, stream, now: () => clock.ms });
    bar.update(5);
    expect(stream.text).toBe('\ra long label here [\x1b[K');
  });

  it('shows the amount alone when the total is unknown', () => {
    const { stream, clock } = harness(true);
    const bar = new ProgressBar({ label: 'dl', stream, now: () => clock.ms, formatAmount: formatBytes });
    clock.ms = 1000;
    bar.update(2048);
    expect(stream.text).toBe('\rdl 2.0 KiB 2.0 KiB/s\x1b[K');
  });
});

describe('ProgressBar into a file or pipe', () => {
  it('prints a plain line at each tenth, never a carriage return', () => {
    const { stream, clock } = harness(false);
    const bar = new ProgressBar({ label: 'epoch 1', total: 100, stream, barWidth: 10, now: () => clock.ms });
    for (let done = 1; done <= 100; done++) {
      clock.ms = done * 10;
      bar.update(done);
    }
    bar.finish();
    const lines = stream.text.trimEnd().split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('epoch 1 [#.........]  10% 10/100 100/s eta 1s');
    expect(lines[8]).toContain(' 90% 90/100');
    expect(lines[9]).toBe('epoch 1 [##########] 100% 100/100 100/s in 1s');
    expect(stream.text).not.toContain('\r');
  });
});
