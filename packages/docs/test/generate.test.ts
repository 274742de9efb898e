/** The generator's building blocks: templates fail loudly, the benchmark file is checked, TeX matrices are right. */
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fillTemplates } from '../src/generate/fragments.js';
import { parseBenchFile } from '@lenet/models/bench-file';
import { benchmarkMarkdown, findBenchmarkFiles, readmeBenchmark } from '../src/generate/sections/benchmark.js';
import { markdownTable, texMatrix } from '../src/generate/markdown.js';
import { assertClose } from '../src/generate/check.js';

function templates(files: Record<string, string>): { dir: string; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lenet-docs-templates-'));
  mkdirSync(join(dir, 'in'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'in', name), text);
  return { dir: join(dir, 'in'), out: join(dir, 'out') };
}

describe('fillTemplates', () => {
  it('replaces each marker with its fragment', () => {
    const { dir, out } = templates({ '01-a.md': 'before\n<!-- gen:table -->\nafter <!-- gen:value -->\n' });
    fillTemplates(dir, out, { table: '| a |\n| - |', value: '42' });
    expect(readFileSync(join(out, '01-a.md'), 'utf8')).toBe('before\n| a |\n| - |\nafter 42\n');
  });

  it('names the file and marker that no generator filled', () => {
    const { dir, out } = templates({ '02-b.md': '<!-- gen:missing-part -->' });
    expect(() => fillTemplates(dir, out, {})).toThrow(/02-b\.md: <!-- gen:missing-part -->/);
  });

  it('refuses fragments that no template shows', () => {
    const { dir, out } = templates({ '03-c.md': 'no markers' });
    expect(() => fillTemplates(dir, out, { orphan: 'x' })).toThrow(/orphan/);
  });
});

describe('benchmark results', () => {
  const sample = {
    date: '2026-11-27T18:00:00Z',
    machine: { cpu: 'Some CPU', cores: 2 },
    batch: 256,
    steps: 3,
    results: [
      {
        target: 'backend-cpu',
        device: 'JavaScript',
        training: { batch: 256, msPerStep: 1000, examplesPerSecond: 256, firstStepMs: 1200, liveBuffers: [12, 12] },
        kernels: [{ name: 'conv2d C1', ms: 12.5 }],
      },
      {
        target: 'webgpu',
        device: 'llvmpipe',
        training: { batch: 256, msPerStep: 250, examplesPerSecond: 1024, firstStepMs: 400, liveBuffers: [12, 12] },
        kernels: [{ name: 'conv2d C1', ms: 3.25 }],
      },
      { target: 'headlessgl', error: 'headless-gl needs an X display\nstack' },
    ],
  };

  it('renders the training table with the ratio to backend-cpu and a kernel table', () => {
    const text = benchmarkMarkdown(parseBenchFile(sample, 'bench.json'), 'bench.json');
    expect(text).toContain('| gpu.js webgpu | llvmpipe | 250.0 | 1,024 | 4.00× |');
    expect(text).toContain('| backend-cpu | JavaScript | 1000.0 | 256 | 1.00× |');
    expect(text).toContain('not run: headless-gl needs an X display |');
    expect(text).toContain('| conv2d C1 | 12.50 | 3.25 |');
    expect(text).toContain('cpu Some CPU, cores 2');
  });

  it('finds the committed results where the benchmark lives, packages/models/bench-results/', () => {
    const files = findBenchmarkFiles().map((file) => file.split(/[\\/]/).slice(-3).join('/'));
    expect(files).toContain('models/bench-results/2026-11-27-amd-epyc-2-cores-no-gpu.json');
    expect(files).toContain('models/bench-results/2026-11-27-nvidia-h200.json');
    expect(files.every((file) => file.startsWith('models/'))).toBe(true);
  });

  it('rejects a file whose figures are not numbers, naming the field', () => {
    const broken = {
      ...sample,
      results: [{ target: 'webgpu', training: { batch: 1, msPerStep: 'fast', examplesPerSecond: 1, firstStepMs: 1 } }],
    };
    expect(() => parseBenchFile(broken, 'bench.json')).toThrow(/results\[0\]\.training: "msPerStep" should be a number/);
    expect(() => parseBenchFile({ batch: 1, steps: 1, results: [] }, 'bench.json')).toThrow(/non-empty array/);
  });
});

describe('benchmark figures from a README', () => {
  const readme = [
    '# pkg',
    '',
    '## Benchmark',
    '',
    'How to run it.',
    '',
    '### Machine A',
    '',
    'AMD, 2 cores.',
    '',
    '| backend | ms |',
    '|---|---:|',
    '| cpu | 10 |',
    '',
    '### Notes without a table',
    '',
    'prose',
    '',
    '### Machine B',
    '',
    '| backend | ms |',
    '|---|---:|',
    '| gpu | 1 |',
    '',
    '## Next section',
    '',
    '### Not a benchmark',
    '',
    '| x |',
    '|---|',
  ].join('\n');

  it('keeps the measured subsections of the Benchmark section, as written', () => {
    const text = readmeBenchmark(readme, 'pkg/README.md');
    expect(text).toContain('### Machine A\n\nAMD, 2 cores.\n\n| backend | ms |');
    expect(text).toContain('### Machine B');
    expect(text).not.toContain('Notes without a table');
    expect(text).not.toContain('Not a benchmark');
  });

  it('fails when the README records no figures', () => {
    expect(() => readmeBenchmark('# pkg\n\n## Usage\n', 'pkg/README.md')).toThrow(/no "## Benchmark" section/);
    expect(() => readmeBenchmark('## Benchmark\n\nsoon\n', 'pkg/README.md')).toThrow(/no "###" subsection with a table/);
  });
});

describe('markdown and checks', () => {
  it('writes a non-square matrix row by row', () => {
    expect(texMatrix([1, 2, 3, 4, 5, 6], 2, 3)).toBe('\\begin{bmatrix} 1 & 2 & 3 \\\\ 4 & 5 & 6 \\end{bmatrix}');
    expect(() => texMatrix([1, 2, 3], 2, 2)).toThrow(/2×2/);
  });

  it('escapes pipes in table cells and aligns numbers right', () => {
    expect(markdownTable(['a', 'n'], [['x|y', '3']], ['l', 'r'])).toBe('| a | n |\n| :--- | ---: |\n| x\\|y | 3 |');
  });

  it('stops the build when the code and a worked example disagree', () => {
    expect(() => assertClose('example', [19, 25, 37, 44], [19, 25, 37, 43])).toThrow(/value 3 is 44, expected 43/);
    expect(() => assertClose('example', [19.000001], [19])).not.toThrow();
  });
});
