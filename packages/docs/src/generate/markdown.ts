/**
 * Small writers for the generated markdown: tables, matrices as TeX, numbers.
 * @module
 */

/** A GitHub-flavoured markdown table; cells are written as given. */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, align?: readonly ('l' | 'r')[]): string {
  const rule = header.map((_, i) => ((align?.[i] ?? 'l') === 'r' ? '---:' : ':---'));
  const line = (cells: readonly string[]): string => `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), `| ${rule.join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** `1234567` → `1,234,567`. */
export function withThousands(value: number): string {
  return value.toLocaleString('en-US');
}

/** A number for a worked example: integers as they are, others to `digits` significant digits. */
export function formatNumber(value: number, digits = 6): string {
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(digits)));
}

/** Row-major `values` of a `rows × cols` matrix as a TeX `bmatrix`. */
export function texMatrix(values: ArrayLike<number>, rows: number, cols: number, digits = 4): string {
  if (values.length !== rows * cols) {
    throw new RangeError(`texMatrix: ${values.length} values do not fill a ${rows}×${cols} matrix`);
  }
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < cols; c++) cells.push(formatNumber(values[r * cols + c], digits));
    lines.push(cells.join(' & '));
  }
  return `\\begin{bmatrix} ${lines.join(' \\\\ ')} \\end{bmatrix}`;
}

/** A fenced code block. */
export function codeBlock(language: string, code: string): string {
  const fence = code.includes('```') ? '~~~~' : '```';
  return `${fence}${language}\n${code.replace(/\s+$/, '')}\n${fence}`;
}
