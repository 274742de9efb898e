/**
 * Table I of LeCun et al. (1998): which S2 feature maps each C3 feature map reads.
 * @module
 */

/**
 * The S2 maps (0–5) that C3 map k (0–15) is connected to, Table I of the paper:
 *
 * ```text
 *        C3: 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
 *   S2 0     X       X X X     X X  X  X     X  X
 *   S2 1     X X       X X X     X  X  X  X     X
 *   S2 2     X X X       X X X      X     X  X  X
 *   S2 3       X X X     X X X  X      X     X  X
 *   S2 4         X X X     X X  X  X     X  X  X
 *   S2 5           X X X     X  X  X  X     X  X
 * ```
 *
 * The first six C3 maps read every contiguous triple of S2 maps, the next six every contiguous
 * quadruple, the next three some discontinuous quadruples, and the last one all six ("to break the
 * symmetry in the network", and to keep the number of connections in bounds): 6·3 + 6·4 + 3·4 + 6 = 60
 * map-to-map connections of 25 weights each.
 */
export const C3_CONNECTION_TABLE: readonly (readonly number[])[] = Object.freeze(
  [
    [0, 1, 2],
    [1, 2, 3],
    [2, 3, 4],
    [3, 4, 5],
    [4, 5, 0],
    [5, 0, 1],
    [0, 1, 2, 3],
    [1, 2, 3, 4],
    [2, 3, 4, 5],
    [3, 4, 5, 0],
    [4, 5, 0, 1],
    [5, 0, 1, 2],
    [0, 1, 3, 4],
    [1, 2, 4, 5],
    [0, 2, 3, 5],
    [0, 1, 2, 3, 4, 5],
  ].map((inputs) => Object.freeze(inputs)),
);

/**
 * The connection table as a 0/1 matrix `[outChannels][inChannels]`: `matrix[k][c] = 1` when output
 * map k reads input map c.
 * @throws RangeError when the table names an input map outside 0 … inChannels − 1.
 */
export function connectionMatrix(table: readonly (readonly number[])[], inChannels: number): number[][] {
  return table.map((inputs, k) => {
    const row: number[] = new Array<number>(inChannels).fill(0);
    for (const c of inputs) {
      if (!Number.isInteger(c) || c < 0 || c >= inChannels) {
        throw new RangeError(
          `connectionMatrix: output map ${k} reads input map ${c}, but there are only ${inChannels} input maps (0–${inChannels - 1})`,
        );
      }
      row[c] = 1;
    }
    return row;
  });
}
