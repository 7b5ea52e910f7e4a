/**
 * The pipeline stage contracts, as Spark's ml package has them:
 *   - `Transformer.transform(df, extra?)` returns a (lazy) DataFrame; it first checks the input
 *     schema with `transformSchema` (missing column, wrong type, output column exists);
 *   - `Estimator.fit(df, extra?, options?)` is async and returns a `Model`, which is a
 *     Transformer that knows its `parent` estimator;
 *   - `Evaluator.evaluate(df, extra?)` returns a metric; `isLargerBetter()` tells tuning how to
 *     compare.
 * `extra` is a ParamMap applied on a copy (`copy(extra)`), never on the stage itself. Long fits
 * report progress through `options.onProgress` (iteration t of maxIter, fold i of k, grid
 * point j of m), which the CLI and the demo render as a progress bar.
 *
 * Constructors take `(options?, uid?)`: a typed options object (`new KMeans({ k: 3 })`) and the
 * uid to keep (used by copy() and load()).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type * as arrow from 'apache-arrow';
import { DataFrame } from '../src/dataframe/dataframe.js';
import { Errors } from '../src/errors.js';
import { Params, checkExtra, type ParamMap } from './param/params.js';

/** The stage a call runs with: the input must be a DataFrame; `extra` applies to a copy. */
function withExtra<S extends Params>(stage: S, api: string, df: unknown, extra: unknown): S {
  if (!(df instanceof DataFrame)) throw Errors.invalidArg(`${stage.stageName}.${api}`, 'dataset', 'a DataFrame', df);
  checkExtra(`${stage.stageName}.${api}`, extra);
  return extra ? stage.copy(extra) : stage;
}

export interface ProgressEvent {
  /** uid of the stage reporting. */
  stage: string;
  kind: 'iteration' | 'fold' | 'grid' | 'stage';
  /** 1-based. */
  current: number;
  total: number;
  message?: string;
}

export interface FitOptions {
  onProgress?: (event: ProgressEvent) => void;
}

export abstract class PipelineStage extends Params {
  /** Checks the input schema and returns the output schema (throws naming the column). */
  abstract transformSchema(schema: arrow.Schema): arrow.Schema;
}

export abstract class Transformer extends PipelineStage {
  transform(df: DataFrame, extra?: ParamMap): DataFrame {
    const stage = withExtra(this, 'transform', df, extra);
    stage.transformSchema(df.schema);
    return stage.transformImpl(df);
  }

  protected abstract transformImpl(df: DataFrame): DataFrame;
}

export abstract class Model<M extends Model<M> = any> extends Transformer {
  parent: Estimator<M> | null = null;

  setParent(parent: Estimator<M> | null): this {
    this.parent = parent;
    return this;
  }

  hasParent(): boolean {
    return this.parent !== null;
  }
}

/** A finished top-level fit, as fit listeners (tracking.autolog) see it. */
export interface FitEvent {
  /** The stage that fitted (a copy when fit had `extra`). */
  estimator: Estimator;
  dataset: DataFrame;
  model: Model;
  startTime: number;
  endTime: number;
}

const fitListeners = new Set<(event: FitEvent) => Promise<void>>();
const insideFit = new AsyncLocalStorage<true>();

/**
 * Calls `listener` after every successful top-level fit (not the fits a Pipeline, a
 * CrossValidator or an estimator makes inside its own, as MLflow's autolog logs only the
 * outermost); fit resolves once the listener has. Returns the function that removes it.
 */
export function onFit(listener: (event: FitEvent) => Promise<void>): () => void {
  fitListeners.add(listener);
  return () => fitListeners.delete(listener);
}

export abstract class Estimator<M extends Model<M> = any> extends PipelineStage {
  async fit(df: DataFrame, extra?: ParamMap, options: FitOptions = {}): Promise<M> {
    const stage = withExtra(this, 'fit', df, extra);
    stage.transformSchema(df.schema);
    const body = async () => {
      const model = await stage.fitImpl(df, options);
      if (!model.hasParent()) model.setParent(stage as unknown as Estimator<M>);
      return model;
    };
    if (fitListeners.size === 0 || insideFit.getStore()) return body();
    const startTime = Date.now();
    const model = await insideFit.run(true, body);
    const event: FitEvent = { estimator: stage, dataset: df, model, startTime, endTime: Date.now() };
    for (const listener of [...fitListeners]) await listener(event);
    return model;
  }

  protected abstract fitImpl(df: DataFrame, options: FitOptions): Promise<M>;
}

export abstract class Evaluator extends Params {
  async evaluate(df: DataFrame, extra?: ParamMap): Promise<number> {
    return withExtra(this, 'evaluate', df, extra).evaluateImpl(df);
  }

  protected abstract evaluateImpl(df: DataFrame): Promise<number>;

  /** True when a larger metric is better (accuracy, AUC, r2); false for errors (rmse, logLoss). */
  isLargerBetter(): boolean {
    return true;
  }
}
