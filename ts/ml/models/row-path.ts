/**
 * The row path of predict and serving (load-model.ts): a model, or a PipelineModel whose every
 * stage has a per-row form, scored row by row on the calling thread with no DataFrame. Per-row
 * forms: VectorAssembler (handleInvalid 'error'; numbers and vectors concatenated),
 * StandardScalerModel (`scale`, the function its transform applies), and any model with
 * `predict(features)` + featuresCol + predictionCol (KMeansModel and the other clustering
 * models: the index their transform appends). Each stage adds its output column to the row, as
 * its transform adds it to a batch, and the last column added is the prediction.
 */
import { Errors } from '../../src/errors.js';
import { VectorAssembler } from '../feature/vectors/vector-assembler.js';
import { StandardScalerModel } from '../feature/scaling/standard-scaler.js';
import { DenseVector, isVector, type Vector } from '../linalg/vectors.js';
import { PipelineModel } from '../pipeline.js';
import type { Transformer } from '../stage.js';
import type { TableInput } from './scoring-input.js';

type Row = Record<string, unknown>;
/** One stage on one row: adds its output column and returns its name. */
type RowStep = (row: Row, r: number) => string;

type Predictor = Transformer & { predict(features: Vector): number; getFeaturesCol(): string; getPredictionCol(): string };

const API = 'predict';

function vectorOf(v: unknown, name: string, r: number): Vector {
  if (isVector(v)) return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return new DenseVector(Float64Array.from(v as number[]));
  throw Errors.schema(`${API}: row ${r} of column ${name} must be a vector (a list of numbers), got ${JSON.stringify(v)}`);
}

function step(stage: Transformer): RowStep | null {
  if (stage instanceof VectorAssembler) {
    if (stage.getHandleInvalid() !== 'error') return null;
    const inputs = stage.getInputCols();
    const out = stage.getOutputCol();
    return (row, r) => {
      const values: number[] = [];
      for (const c of inputs) {
        const v = row[c];
        if (typeof v === 'number' && !Number.isNaN(v)) values.push(v);
        else if (v !== null && v !== undefined && typeof v !== 'number') values.push(...vectorOf(v, c, r).toArray());
        else throw Errors.schema(`${API}: row ${r} of column ${c} is ${v === undefined ? 'missing' : String(v)}; VectorAssembler's handleInvalid 'error' refuses null and NaN`);
      }
      row[out] = new DenseVector(Float64Array.from(values));
      return out;
    };
  }
  if (stage instanceof StandardScalerModel) {
    const input = stage.getInputCol();
    const out = stage.getOutputCol();
    const scale = stage.rowScaler();
    return (row, r) => {
      row[out] = scale(vectorOf(row[input], input, r));
      return out;
    };
  }
  const p = stage as unknown as Partial<Predictor>;
  if (typeof p.predict === 'function' && typeof p.getFeaturesCol === 'function' && typeof p.getPredictionCol === 'function') {
    const m = stage as Predictor;
    const input = m.getFeaturesCol();
    const out = m.getPredictionCol();
    return (row, r) => {
      if (!(input in row)) throw Errors.schema(`${API}: missing column ${input} (the model's featuresCol) among [${Object.keys(row).join(', ')}]`);
      row[out] = m.predict(vectorOf(row[input], input, r));
      return out;
    };
  }
  return null;
}

/** The row predictor of a model, or null when a stage has no per-row form. */
export function rowPredictor(model: Transformer): ((t: TableInput) => unknown[]) | null {
  const stages = model instanceof PipelineModel ? model.stages : [model];
  const steps = stages.map(step);
  if (steps.length === 0 || steps.some((s) => s === null)) return null;
  const run = steps as RowStep[];
  return (t) => t.data.map((cells, r) => {
    const row: Row = {};
    for (let j = 0; j < t.columns.length; j++) row[t.columns[j]!] = cells[j];
    let last = '';
    for (const s of run) last = s(row, r);
    const v = row[last];
    return isVector(v) ? Array.from(v.toArray()) : v;
  });
}
