/**
 * DOT → SVG with Graphviz's `dot` (Debian package `graphviz`).
 * @module
 */
import { execFileSync } from 'node:child_process';

/**
 * Lays out `dot` source and returns the SVG text; a missing `dot` is an error that says what to
 * install. `direction` overrides the graph's `rankdir` (a long chain reads better top to bottom).
 */
export function renderDot(dot: string, what: string, direction?: 'LR' | 'TB'): string {
  const source = direction === undefined ? dot : dot.replace(/rankdir=\w+/, `rankdir=${direction}`);
  try {
    return execFileSync('dot', ['-Tsvg'], { input: source, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    if (code === 'ENOENT') {
      throw new Error(`docs generate: ${what} needs Graphviz's \`dot\`, which is not installed (apt-get install graphviz)`);
    }
    throw new Error(`docs generate: dot failed on ${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
