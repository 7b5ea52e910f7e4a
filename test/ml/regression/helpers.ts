// Shared by the regression tests: the CSV fixtures as rows, reference values computed by
// test/reference/*.py (stored beside them as JSON), and a relative comparison.
import { readFileSync } from 'node:fs';
import type { Test } from 'tap';

export function csvRows(name: string): { x: number[][]; y: number[]; header: string[] } {
  const text = readFileSync(new URL(`../../fixtures/data/${name}`, import.meta.url), 'utf8').trim().split('\n');
  const header = text[0]!.split(',');
  const rows = text.slice(1).map((l) => l.split(','));
  return { header, x: rows.map((r) => r.slice(0, -1).map(Number)), y: rows.map((r) => Number(r[r.length - 1])) };
}

/** diabetes.csv: 442 rows, 10 features, target. */
export function diabetes(): { x: number[][]; y: number[] } {
  return csvRows('diabetes.csv');
}

/** iris.csv: petal_width (label) against sepal_length, sepal_width, petal_length. */
export function irisPetalWidth(): { x: number[][]; y: number[] } {
  const { x } = csvRows('iris.csv');
  return { x: x.map((r) => r.slice(0, 3)), y: x.map((r) => r[3]!) };
}

export function reference<T = any>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../reference/${name}`, import.meta.url), 'utf8')) as T;
}

/** |a − b| <= rel·max(|b|, floor) element-wise. */
export function close(t: Test, got: ArrayLike<number>, want: ArrayLike<number>, rel: number, msg: string, floor = 1e-12): void {
  const g = Array.from(got);
  const w = Array.from(want);
  const bad = g.length !== w.length ? -2 : w.findIndex((v, i) => !(Math.abs(g[i]! - v) <= rel * Math.max(Math.abs(v), floor)));
  t.ok(bad === -1, bad === -1 ? msg : `${msg}: at ${bad} got ${g[bad]} want ${w[bad]} (${g.length} vs ${w.length} values)`);
}
