/**
 * The formula table and the finite-difference check of "Inside while it learns".
 * @module
 */
import { FORMULA_TOLERANCE, type FormulaComparison, type GradientCheck } from './formula-check.js';
import { element } from './page.js';

const formulaTable = element('formula-table', HTMLTableElement);
const gradientTable = element('gradcheck-table', HTMLTableElement);

function cells(values: readonly string[]): HTMLTableRowElement {
  const row = document.createElement('tr');
  for (const value of values) row.append(Object.assign(document.createElement('td'), { textContent: value }));
  return row;
}

/** One row per tensor: max |kernel − formula|, max |formula|, their ratio, flagged above the tolerance. */
export function showComparison(step: number, rows: readonly FormulaComparison[]): void {
  formulaTable.tBodies[0].replaceChildren(
    ...rows.map((comparison) => {
      const row = cells([
        comparison.tensor,
        comparison.maxDifference.toExponential(2),
        comparison.maxValue.toExponential(2),
        comparison.relative.toExponential(2),
        comparison.flagged ? `✗ above ${FORMULA_TOLERANCE}` : '✓',
      ]);
      row.dataset.tensor = comparison.tensor;
      row.dataset.relative = String(comparison.relative);
      if (comparison.flagged) row.className = 'flagged';
      return row;
    }),
  );
  formulaTable.dataset.step = String(step);
  formulaTable.dataset.flagged = String(rows.filter((row) => row.flagged).length);
  formulaTable.dataset.worst = String(Math.max(...rows.map((row) => row.relative)));
}

/** One row per weight checked. */
export function showGradientChecks(checks: readonly GradientCheck[]): void {
  gradientTable.tBodies[0].replaceChildren(
    ...checks.map((check) => {
      const row = cells([
        `${check.parameter}[${check.index}]`,
        check.backprop.toExponential(5),
        check.finiteDifference.toExponential(5),
        String(check.h),
      ]);
      row.dataset.backprop = String(check.backprop);
      row.dataset.finiteDifference = String(check.finiteDifference);
      return row;
    }),
  );
}
