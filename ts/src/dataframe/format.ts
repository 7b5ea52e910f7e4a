/**
 * Value formatting as Spark prints it (show(), cast to string): ISO dates, timestamps as
 * `yyyy-MM-dd HH:mm:ss[.SSSSSS]` in UTC, and matrices as Spark's DenseMatrix.toString.
 * Numbers go through Java's Double.toString / Float.toString (shortest digits, JDK 19+ rules),
 * which live in io/text-common/java-format.ts with the text writers.
 */
import { javaDoubleString } from '../io/text-common/java-format.js';

export function dateString(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

/** Spark's timestamp rendering: seconds always, fraction only when non-zero (trailing zeros trimmed). */
export function timestampString(micros: bigint): string {
  let sec = micros / 1_000_000n;
  let frac = micros % 1_000_000n;
  if (frac < 0n) {
    frac += 1_000_000n;
    sec -= 1n;
  }
  const iso = new Date(Number(sec) * 1000).toISOString();
  const base = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  if (frac === 0n) return base;
  return `${base}.${String(frac).padStart(6, '0').replace(/0+$/, '')}`;
}

/**
 * A matrix as Spark prints it (DenseMatrix.toString, Breeze's layout): one line per row, each
 * cell a Java double left-aligned in its column's width + 2. `at(i, j)` reads cell (i, j).
 */
export function matrixString(numRows: number, numCols: number, at: (i: number, j: number) => number): string {
  const cells: string[][] = [];
  for (let i = 0; i < numRows; i++) {
    const row: string[] = [];
    for (let j = 0; j < numCols; j++) row.push(javaDoubleString(at(i, j)));
    cells.push(row);
  }
  const widths = Array.from({ length: numCols }, (_, j) => Math.max(0, ...cells.map((r) => r[j]!.length)) + 2);
  return cells.map((r) => r.map((c, j) => c + ' '.repeat(widths[j]! - c.length)).join('')).join('\n');
}

/** A MatrixUDT struct value (column-major, or row-major when transposed; sparse as CSC/CSR) as Spark prints it. */
export function matrixValueString(m: { type: number; numRows: number; numCols: number; colPtrs: number[] | null; rowIndices: number[] | null; values: number[]; isTransposed: boolean }): string {
  const major = m.isTransposed ? m.numRows : m.numCols;
  const minor = m.isTransposed ? m.numCols : m.numRows;
  const dense = new Float64Array(m.numRows * m.numCols);
  if (m.type === 1) dense.set(m.values);
  else {
    const ptr = m.colPtrs ?? [];
    const idx = m.rowIndices ?? [];
    for (let a = 0; a < major; a++) for (let p = ptr[a]!; p < ptr[a + 1]!; p++) dense[a * minor + idx[p]!] = m.values[p]!;
  }
  return matrixString(m.numRows, m.numCols, (i, j) => (m.isTransposed ? dense[i * m.numCols + j]! : dense[j * m.numRows + i]!));
}
