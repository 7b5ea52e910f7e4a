// Shared by the LogisticRegression / LinearSVC tests: the reference data sets (test/fixtures/data,
// written by test/reference/logistic_regression_reference.py) as DataFrames, and the references.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Session } from '../../../ts/src/index.js';
import { Vectors } from '../../../ts/ml/index.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');

export interface Reference {
  params: Record<string, number | boolean>;
  coefficients: number[];
  intercepts: number[];
  objective: number;
}

export const REFERENCE: Record<string, Reference> = JSON.parse(readFileSync(join(FIXTURES, 'ml', 'logreg_reference.json'), 'utf8'));

const IRIS_CLASSES: Record<string, number> = { setosa: 0, versicolor: 1, virginica: 2 };

/** Rows of a data set: features and label (iris: species as 0, 1, 2). */
export function rowsOf(name: 'breast_cancer' | 'digits300' | 'iris'): Array<{ x: number[]; label: number }> {
  const text = readFileSync(join(FIXTURES, 'data', `${name}.csv`), 'utf8').trim().split('\n').slice(1);
  return text.map((line) => {
    const cells = line.split(',');
    const last = cells.pop()!;
    return { x: cells.map(Number), label: name === 'iris' ? IRIS_CLASSES[last]! : Number(last) };
  });
}

export function frameOf(spark: Session, rows: Array<{ x: number[]; label: number; weight?: number }>) {
  const weighted = rows.some((r) => r.weight !== undefined);
  return spark.createDataFrame(
    rows.map((r) => ({ features: Vectors.dense(r.x), label: r.label, ...(weighted ? { weight: r.weight } : {}) })),
    weighted ? 'features vector, label double, weight double' : 'features vector, label double',
  );
}

/** max |a − b| / max |b|. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return num / den;
}

/** Rows of a LIBSVM text file (1-based indices) as dense features of size d. */
export function libsvmRows(file: string, d: number): Array<{ x: number[]; label: number }> {
  return readFileSync(join(FIXTURES, 'data', file), 'utf8').trim().split('\n').map((line) => {
    const [label, ...pairs] = line.trim().split(/\s+/);
    const x = new Array<number>(d).fill(0);
    for (const p of pairs) {
      const [i, v] = p.split(':');
      x[Number(i) - 1] = Number(v);
    }
    return { x, label: Number(label) };
  });
}
