// Tuning: ParamGridBuilder order, CrossValidator and TrainValidationSplit against hand-computed
// folds and metrics (a constant "mean + offset" predictor scored by mean squared error), fold
// membership (disjoint, complete, the same for a seed), best-model choice both ways, subModels,
// the parallelism limit, progress events, nesting with Pipelines, Spark's persistence layout,
// and errors.
import t from 'tap';
import { existsSync, mkdtempSync, rmSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { Session, col, lit, functions as F } from '../../ts/src/index.js';
import type { DataFrame } from '../../ts/src/dataframe/dataframe.js';
import { ParamMap, ParamValidators as V } from '../../ts/ml/param/params.js';
import { HasInputColMixin, HasLabelColMixin, HasOutputColMixin, HasPredictionColMixin } from '../../ts/ml/param/shared-params.js';
import { SharedParams, javaStringHash, uidOutputCol } from '../../ts/ml/param/shared-params.table.js';
import { withDefault } from '../../ts/ml/param/spec.js';
import { Estimator, Evaluator, Model, Transformer, type FitOptions, type ProgressEvent } from '../../ts/ml/stage.js';
import { Pipeline, PipelineModel } from '../../ts/ml/pipeline.js';
import { MLWriter, getAndSetParams, parseSparkJson, readData, register, writeData, writeMetadata } from '../../ts/ml/persist.js';
import {
  CrossValidator, CrossValidatorModel, ParamGridBuilder, TrainValidationSplit, TrainValidationSplitModel,
} from '../../ts/ml/tuning/index.js';

const spark = await Session.builder().appName('tuning-test').master('local').getOrCreate();
t.teardown(() => spark.stop());
const tmp = mkdtempSync(join(tmpdir(), 'kindling-tuning-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

// ----- test stages ------------------------------------------------------------------------------

/** Ids each fit trained on and each evaluation scored, in call order. */
const log = { train: [] as number[][], valid: [] as number[][], inFlight: 0, maxInFlight: 0 };
const resetLog = () => Object.assign(log, { train: [], valid: [], inFlight: 0, maxInFlight: 0 });
const ids = async (df: DataFrame) => (await df.select('id').collect()).map((r) => Number(r.id)).sort((a, b) => a - b);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Spark's labelCol and predictionCol with the test stages' defaults. */
const labelY = withDefault(SharedParams.params.labelCol, 'y');
const predictionP = withDefault(SharedParams.params.predictionCol, 'p');

/** Predicts the training mean of labelCol plus `offset`, for every row. */
class MeanPredictor extends HasLabelColMixin(HasPredictionColMixin(Estimator<MeanPredictorModel>, predictionP), labelY) {
  readonly offset = this.param<number>('offset', 'added to the mean', { default: 0, validate: V.gt(-Infinity) });
  readonly delayMs = this.param<number>('delayMs', 'fit delay', { default: 0, validate: V.int(0) });
  readonly failOn = this.param<number>('failOn', 'an offset whose fit throws', { default: 1e9, validate: V.gt(-Infinity) });
  constructor(options?: { labelCol?: string; predictionCol?: string; offset?: number; delayMs?: number; failOn?: number }, uid?: string) {
    super(uid);
    this.setParams(options);
  }
  transformSchema(schema: arrow.Schema): arrow.Schema {
    const label = this.getOrDefault(this.labelCol);
    if (!schema.fields.some((f) => f.name === label)) throw new TypeError(`MeanPredictor: no column ${label}`);
    return new arrow.Schema([...schema.fields, new arrow.Field(this.getOrDefault(this.predictionCol), new arrow.Float64(), false)]);
  }
  protected async fitImpl(df: DataFrame, _options: FitOptions): Promise<MeanPredictorModel> {
    log.inFlight++;
    log.maxInFlight = Math.max(log.maxInFlight, log.inFlight);
    try {
      if (this.getOrDefault(this.offset) === this.getOrDefault(this.failOn)) throw new RangeError(`fit failed for offset ${this.getOrDefault(this.failOn)}`);
      if (df.columns.includes('id')) log.train.push(await ids(df));
      await sleep(this.getOrDefault(this.delayMs));
      const mean = (await df.agg(F.avg(this.getOrDefault(this.labelCol)).alias('m')).first())!.m as number;
      return this.copyValues(new MeanPredictorModel({ mean }, this.uid));
    } finally {
      log.inFlight--;
    }
  }
}
register('org.kindling.test.MeanPredictor', MeanPredictor);

class MeanPredictorModel extends HasLabelColMixin(HasPredictionColMixin(Model, predictionP), labelY) {
  readonly offset = this.param<number>('offset', 'added to the mean', { default: 0, validate: V.gt(-Infinity) });
  readonly delayMs = this.param<number>('delayMs', 'fit delay', { default: 0, validate: V.int(0) });
  readonly failOn = this.param<number>('failOn', 'an offset whose fit throws', { default: 1e9, validate: V.gt(-Infinity) });
  readonly mean: number;
  constructor(state?: { mean: number }, uid?: string) {
    super(uid);
    this.mean = state?.mean ?? NaN;
  }
  get prediction(): number {
    return this.mean + this.getOrDefault(this.offset);
  }
  transformSchema(schema: arrow.Schema): arrow.Schema {
    return new arrow.Schema([...schema.fields, new arrow.Field(this.getOrDefault(this.predictionCol), new arrow.Float64(), false)]);
  }
  protected transformImpl(df: DataFrame): DataFrame {
    return df.withColumn(this.getOrDefault(this.predictionCol), lit(this.prediction).cast('double'));
  }
  override copy(extra?: ParamMap): this {
    const Ctor = this.constructor as new (s: { mean: number }, uid?: string) => this;
    return this.copyValues(new Ctor({ mean: this.mean }, this.uid), extra).setParent(this.parent);
  }
}
register('org.kindling.test.MeanPredictorModel', MeanPredictorModel, {
  save: async (m, path, ctx) => {
    await writeMetadata(m, path, ctx);
    await writeData(path, new arrow.Table({ mean: arrow.makeVector(new Float64Array([m.mean])) }));
  },
  load: async (path, md, ctx) => {
    const m = new MeanPredictorModel({ mean: (await readData(path)).getChild('mean')!.get(0) as number }, md.uid);
    getAndSetParams(m, md, { api: ctx.api });
    return m;
  },
});

/** Mean squared error of predictionCol against labelCol; `largerIsBetter` flips only the direction. */
class Mse extends HasLabelColMixin(HasPredictionColMixin(Evaluator, predictionP), labelY) {
  readonly largerIsBetter = this.param<boolean>('largerIsBetter', 'direction of the metric', { default: false, validate: V.bool() });
  constructor(options?: { labelCol?: string; predictionCol?: string; largerIsBetter?: boolean }, uid?: string) {
    super(uid);
    this.setParams(options);
  }
  protected async evaluateImpl(df: DataFrame): Promise<number> {
    if (df.columns.includes('id')) log.valid.push(await ids(df));
    const rows = await df.select(this.getOrDefault(this.labelCol), this.getOrDefault(this.predictionCol)).collect();
    const y = this.getOrDefault(this.labelCol);
    const p = this.getOrDefault(this.predictionCol);
    return rows.reduce((s, r) => s + (Number(r[p]) - Number(r[y])) ** 2, 0) / rows.length;
  }
  override isLargerBetter(): boolean {
    return this.getOrDefault(this.largerIsBetter);
  }
}
register('org.kindling.test.MseEvaluator', Mse);

/** y → y (a no-op with a param, to sit in front of the predictor in pipelines). */
class Rename extends HasInputColMixin(HasOutputColMixin(Transformer, uidOutputCol)) {
  constructor(options?: { inputCol?: string; outputCol?: string }, uid?: string) {
    super(uid);
    this.setParams(options);
  }
  transformSchema(schema: arrow.Schema): arrow.Schema {
    const f = schema.fields.find((x) => x.name === this.getOrDefault(this.inputCol))!;
    return new arrow.Schema([...schema.fields, new arrow.Field(this.getOrDefault(this.outputCol), f.type, true)]);
  }
  protected transformImpl(df: DataFrame): DataFrame {
    return df.withColumn(this.getOrDefault(this.outputCol), col(this.getOrDefault(this.inputCol)));
  }
}
register('org.kindling.test.Rename', Rename);

/** Six rows, y = 1..6, fold = id % 3. */
const six = () =>
  spark.createDataFrame({ id: new Int32Array([0, 1, 2, 3, 4, 5]), y: new Float64Array([1, 2, 3, 4, 5, 6]), fold: new Int32Array([0, 1, 2, 0, 1, 2]) });
const many = (n: number) => spark.createDataFrame({ id: Int32Array.from({ length: n }, (_, i) => i), y: Float64Array.from({ length: n }, (_, i) => (i * 7) % 11) });

/** MSE of the constant prediction mean(train y) + offset on the validation rows (y = f(id)). */
function handMse(trainIds: number[], validIds: number[], yOf: (id: number) => number, offset: number): number {
  const mean = trainIds.reduce((s, i) => s + yOf(i), 0) / trainIds.length;
  return validIds.reduce((s, i) => s + (mean + offset - yOf(i)) ** 2, 0) / validIds.length;
}

// ----- ParamGridBuilder ---------------------------------------------------------------------------

t.test("ParamGridBuilder: PySpark's order (last added varies fastest), baseOn, booleans, validation", async (t) => {
  const est = new MeanPredictor();
  const ev = new Mse();
  const grid = new ParamGridBuilder().addGrid(est.offset, [0, 1]).addGrid(est.labelCol, ['a', 'b', 'c']).build();
  const show = (maps: ParamMap[]) => maps.map((m) => Object.fromEntries(m.entries().map(([p, v]) => [p.name, v])));
  t.same(show(grid), [
    { offset: 0, labelCol: 'a' }, { offset: 0, labelCol: 'b' }, { offset: 0, labelCol: 'c' },
    { offset: 1, labelCol: 'a' }, { offset: 1, labelCol: 'b' }, { offset: 1, labelCol: 'c' },
  ]);
  t.ok(grid.every((m) => m.entries().every(([p]) => p.parent === est.uid)));
  const based = new ParamGridBuilder().baseOn(ParamMap.of([est.predictionCol, 'q'])).baseOn([est.delayMs, 5], [ev.labelCol, 'z']).addGrid(est.offset, [2, 3]).build();
  t.same(show(based), [
    { predictionCol: 'q', delayMs: 5, labelCol: 'z', offset: 2 },
    { predictionCol: 'q', delayMs: 5, labelCol: 'z', offset: 3 },
  ]);
  const again = new ParamGridBuilder().addGrid(est.offset, [1]).addGrid(ev.largerIsBetter).addGrid(est.offset, [7, 8]).build();
  t.same(show(again), [{ offset: 7, largerIsBetter: true }, { offset: 7, largerIsBetter: false }, { offset: 8, largerIsBetter: true }, { offset: 8, largerIsBetter: false }], 'adding a param again replaces its values in place; no values = [true, false]');
  t.same(show(new ParamGridBuilder().build()), [{}], 'no params: one empty ParamMap');
  t.throws(() => new ParamGridBuilder().addGrid(est.delayMs, [1, -1]), new RegExp(`ParamGridBuilder\\.addGrid: expected integer >= 0 for delayMs\\[1\\] \\(param of ${est.uid}\\), got -1 \\(number\\)`));
  t.throws(() => new ParamGridBuilder().addGrid(est.offset, []), /ParamGridBuilder\.addGrid: expected a non-empty array of values for values of offset, got Array\(0\)/);
  t.throws(() => new ParamGridBuilder().addGrid(est.offset), /ParamGridBuilder\.addGrid: expected a number > -Infinity for offset\[0\] .*, got true \(boolean\)/);
  t.throws(() => new ParamGridBuilder().addGrid('offset' as never, [1]), /ParamGridBuilder\.addGrid: expected a Param of a stage \(e\.g\. lr\.regParam\) for param, got "offset" \(string\)/);
  t.throws(() => new ParamGridBuilder().baseOn([est.offset] as never), /ParamGridBuilder\.baseOn: expected a ParamMap or \[param, value\] pairs for pairs/);
});

// ----- CrossValidator -----------------------------------------------------------------------------

const offsets = [0, 1, -1];

t.test('CrossValidator with foldCol: exact folds, per-fold metrics, averages, std, best model', async (t) => {
  resetLog();
  const est = new MeanPredictor();
  const ev = new Mse();
  const grid = new ParamGridBuilder().addGrid(est.offset, offsets).build();
  const cv = new CrossValidator({ estimator: est, evaluator: ev, estimatorParamMaps: grid, foldCol: 'fold', collectSubModels: true });
  const model = await cv.fit(six());
  // fold 0: train ids {1,2,4,5} (mean 4), validate {0,3}; fold 1: train {0,2,3,5} (3.5), validate {1,4}; fold 2: train {0,1,3,4} (3), validate {2,5}
  t.same(log.train.slice(0, 9), [[1, 2, 4, 5], [1, 2, 4, 5], [1, 2, 4, 5], [0, 2, 3, 5], [0, 2, 3, 5], [0, 2, 3, 5], [0, 1, 3, 4], [0, 1, 3, 4], [0, 1, 3, 4]]);
  t.same(log.valid, [[0, 3], [0, 3], [0, 3], [1, 4], [1, 4], [1, 4], [2, 5], [2, 5], [2, 5]]);
  t.same(log.train[9], [0, 1, 2, 3, 4, 5], 'the best param map is refitted on all the data');
  // per fold MSE for offsets 0, 1, -1: fold0 [4.5, 8.5, 2.5], fold1 [2.25, 3.25, 3.25], fold2 [4.5, 2.5, 8.5]
  t.same(model.avgMetrics, [3.75, 4.75, 4.75]);
  t.same(model.stdMetrics, [Math.sqrt(1.125), Math.sqrt(7.125), Math.sqrt(7.125)]);
  const best = model.bestModel as MeanPredictorModel;
  t.equal(best.mean, 3.5);
  t.equal(best.getOrDefault(best.offset), 0);
  t.equal(best.uid, est.uid);
  t.equal(model.uid, cv.uid);
  t.equal(model.parent, cv);
  t.equal(model.getNumFolds(), 3);
  t.equal(model.getFoldCol(), 'fold');
  t.equal(model.get(model.estimator), est);
  t.equal(model.get(model.evaluator), ev);
  t.equal(model.get(model.estimatorParamMaps), grid);
  t.equal(model.getOrDefault(model.seed), javaStringHash('org.apache.spark.ml.tuning.CrossValidator'), "the validator's default seed (Spark: the class name's hash) carries over");
  t.same(model.subModels.map((row) => row.map((m) => [(m as MeanPredictorModel).mean, m.getOrDefault('offset')])), [
    [[4, 0], [4, 1], [4, -1]],
    [[3.5, 0], [3.5, 1], [3.5, -1]],
    [[3, 0], [3, 1], [3, -1]],
  ]);
  t.same((await model.transform(six()).select('p').collect()).map((r) => r.p), [3.5, 3.5, 3.5, 3.5, 3.5, 3.5], 'transform = bestModel.transform');
  t.same(model.transformSchema(six().schema).fields.map((f) => f.name), ['id', 'y', 'fold', 'p']);
  t.equal(est.isSet(est.offset), false, 'the estimator itself is untouched');
});

t.test('the best model follows isLargerBetter (first index on ties)', async (t) => {
  const est = new MeanPredictor();
  const grid = new ParamGridBuilder().addGrid(est.offset, offsets).build();
  const larger = await new CrossValidator({ estimator: est, evaluator: new Mse({ largerIsBetter: true }), estimatorParamMaps: grid, foldCol: 'fold' }).fit(six());
  t.same(larger.avgMetrics, [3.75, 4.75, 4.75]);
  t.equal(larger.bestModel.getOrDefault('offset'), 1, 'max: index 1 (ties with index 2 go to the first)');
  const grid2 = new ParamGridBuilder().addGrid(est.offset, [1, -1, 0]).build();
  const smaller = await new CrossValidator({ estimator: est, evaluator: new Mse(), estimatorParamMaps: grid2, foldCol: 'fold' }).fit(six());
  t.same(smaller.avgMetrics, [4.75, 4.75, 3.75]);
  t.equal(smaller.bestModel.getOrDefault('offset'), 0);
  t.throws(() => smaller.subModels, { code: 'ERR_KINDLING_NOT_FITTED', message: 'CrossValidatorModel: subModels not available, To retrieve subModels, make sure to set collectSubModels to true before fitting.' });
  t.equal(smaller.hasSubModels(), false);
});

t.test('random k-fold: randomSplit with equal weights and the seed; disjoint, complete, deterministic', async (t) => {
  const n = 60;
  const yOf = (i: number) => (i * 7) % 11;
  const df = many(n);
  const est = new MeanPredictor();
  const grid = new ParamGridBuilder().addGrid(est.offset, [0, 2]).build();
  const run = async (seed: number) => {
    resetLog();
    const m = await new CrossValidator({ estimator: est, evaluator: new Mse(), estimatorParamMaps: grid, seed, numFolds: 4 }).fit(df);
    return { m, train: log.train, valid: log.valid };
  };
  const a = await run(7);
  const expected = await Promise.all(df.randomSplit([1, 1, 1, 1], 7).map(ids));
  t.same(a.valid.filter((_, i) => i % 2 === 0), expected, 'fold i validates on split i of randomSplit([1, 1, 1, 1], seed)');
  const all = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < 4; i++) {
    t.ok(expected[i]!.length > 0, `fold ${i} is not empty`);
    t.same(a.train[2 * i], all.filter((x) => !expected[i]!.includes(x)), `fold ${i} trains on every other row`);
    t.same(a.train[2 * i + 1], a.train[2 * i]);
  }
  t.same(expected.flat().sort((x, y) => x - y), all, 'the folds are disjoint and complete');
  const metrics = [0, 2].map((o) => expected.reduce((s, v, i) => s + handMse(a.train[2 * i]!, v, yOf, o), 0) / 4);
  a.m.avgMetrics.forEach((v, j) => t.ok(Math.abs(v - metrics[j]!) < 1e-12, `avgMetrics[${j}] = ${v} vs ${metrics[j]}`));
  const b = await run(7);
  t.same(b.valid, a.valid, 'the same seed gives the same folds');
  t.same(b.m.avgMetrics, a.m.avgMetrics);
  const c = await run(8);
  t.not(JSON.stringify(c.valid), JSON.stringify(a.valid), 'another seed gives other folds');
});

t.test('parallelism: at most that many fits at once; the results do not depend on it', async (t) => {
  const est = new MeanPredictor({ delayMs: 15 });
  const grid = new ParamGridBuilder().addGrid(est.offset, [0, 1, 2, 3, 4]).build();
  const results: number[][] = [];
  for (const parallelism of [1, 2, 10]) {
    resetLog();
    const m = await new CrossValidator({ estimator: est, evaluator: new Mse(), estimatorParamMaps: grid, foldCol: 'fold', parallelism }).fit(six());
    t.equal(log.maxInFlight, Math.min(parallelism, 5), `parallelism ${parallelism}`);
    results.push(m.avgMetrics);
  }
  t.same(results[1], results[0]);
  t.same(results[2], results[0]);
  resetLog();
  const failing = new MeanPredictor({ failOn: 1 });
  await t.rejects(new CrossValidator({ estimator: failing, evaluator: new Mse(), estimatorParamMaps: new ParamGridBuilder().addGrid(failing.offset, [0, 1, 2, 3]).build(), foldCol: 'fold' }).fit(six()), {
    name: 'RangeError',
    message: 'fit failed for offset 1',
  });
  t.equal(log.train.length, 1, 'with parallelism 1 no fit starts after the failing one');
});

t.test("progress: 'fold' per fold, 'grid' per fit, 'stage' for the refit", async (t) => {
  const est = new MeanPredictor();
  const df = spark.createDataFrame({ id: new Int32Array([0, 1, 2, 3]), y: new Float64Array([1, 2, 3, 4]), fold: new Int32Array([0, 1, 0, 1]) });
  const cv = new CrossValidator({ estimator: est, evaluator: new Mse(), estimatorParamMaps: new ParamGridBuilder().addGrid(est.offset, [0, 1]).build(), numFolds: 2, foldCol: 'fold' });
  const events: ProgressEvent[] = [];
  await cv.fit(df, undefined, { onProgress: (e) => events.push(e) });
  t.same(events.map((e) => [e.stage === cv.uid, e.kind, e.current, e.total]), [
    [true, 'fold', 1, 2], [true, 'grid', 1, 2], [true, 'grid', 2, 2],
    [true, 'fold', 2, 2], [true, 'grid', 1, 2], [true, 'grid', 2, 2],
    [true, 'stage', 1, 1],
  ]);
  t.equal(events[1]!.message, 'fold 1 of 2');
  t.equal(events[6]!.message, 'fitting the best model (grid point 1 of 2) on all the data');
});

t.test('CrossValidator errors: estimator/evaluator missing, empty grid, numFolds, foldCol, foreign params', async (t) => {
  const est = new MeanPredictor();
  const ev = new Mse();
  const grid = new ParamGridBuilder().addGrid(est.offset, [0]).build();
  await t.rejects(new CrossValidator({ evaluator: ev, estimatorParamMaps: grid }).fit(six()), { code: 'ERR_KINDLING_INVALID_ARG', message: 'CrossValidator: expected an Estimator (set estimator before fitting) for estimator, got undefined (undefined)' });
  await t.rejects(new CrossValidator({ estimator: est, estimatorParamMaps: grid }).fit(six()), /CrossValidator: expected an Evaluator \(set evaluator before fitting\) for evaluator, got undefined/);
  await t.rejects(new CrossValidator({ estimator: est, evaluator: ev, estimatorParamMaps: [] }).fit(six()), /CrossValidator: expected a non-empty array of ParamMaps \(e\.g\. new ParamGridBuilder\(\)…build\(\)\) for estimatorParamMaps, got Array\(0\)/);
  await t.rejects(new CrossValidator({ estimator: est, evaluator: ev }).fit(six()), /for estimatorParamMaps, got undefined/);
  t.throws(() => new CrossValidator({ numFolds: 1 }), /CrossValidator: expected integer >= 2 for numFolds, got 1 \(number\)/);
  t.throws(() => new CrossValidator({ numFolds: 2.5 }), /expected integer >= 2 for numFolds, got 2\.5/);
  t.throws(() => new CrossValidator({ parallelism: 0 }), /CrossValidator: expected integer >= 1 for parallelism, got 0/);
  t.throws(() => new CrossValidator({ estimator: ev as never }), /CrossValidator: expected an Estimator for estimator, got Mse \(object\)/);
  t.throws(() => new CrossValidator({ estimatorParamMaps: [{}] as never }), /expected an array of ParamMaps for estimatorParamMaps/);
  const base = { estimator: est, evaluator: ev, estimatorParamMaps: grid };
  await t.rejects(new CrossValidator({ ...base, foldCol: 'y' }).fit(six()), { code: 'ERR_KINDLING_SCHEMA', message: 'CrossValidator: expected an integer column for foldCol, got y: double' });
  await t.rejects(new CrossValidator({ ...base, foldCol: 'nope' }).fit(six()), /CrossValidator: cannot resolve column "nope" among \[id, y, fold\]/);
  await t.rejects(new CrossValidator({ ...base, foldCol: 'fold', numFolds: 2 }).fit(six()), /CrossValidator: expected integers in \[0, 2\) for fold numbers in fold, got 2 \(number\)/);
  await t.rejects(new CrossValidator({ ...base, numFolds: 10 }).fit(many(3)), { code: 'ERR_KINDLING_INVALID_ARG', message: /^CrossValidator: fold \d of numFolds = 10 has no validation rows \(randomSplit of 3 rows\); use fewer folds or more rows$/ }, 'more folds than rows: the folds are named, not the evaluator');
  await t.rejects(new CrossValidator({ ...base, foldCol: 'fold', numFolds: 4 }).fit(six()), /CrossValidator: the validation data at fold 3 is empty \(no row of fold is 3\)/);
  const other = new MeanPredictor();
  const foreign = new ParamGridBuilder().addGrid(other.offset, [1]).build();
  await t.rejects(new CrossValidator({ ...base, estimatorParamMaps: foreign }).fit(six()), new RegExp(`CrossValidator: expected params of the estimator \\(or its nested stages\\) or the evaluator \\(uids ${est.uid}, ${ev.uid}\\) for estimatorParamMaps\\[0\\], got "${other.uid}__offset"`));
  await t.rejects(new CrossValidator({ ...base, estimatorParamMaps: new ParamGridBuilder().addGrid(est.labelCol, ['nope']).build() }).fit(six()), /MeanPredictor: no column nope/, 'every grid point checks the schema first');
});

// ----- TrainValidationSplit ---------------------------------------------------------------------------

t.test('TrainValidationSplit: randomSplit([r, 1 - r], seed), validationMetrics, best model, subModels', async (t) => {
  const n = 40;
  const yOf = (i: number) => (i * 7) % 11;
  const df = many(n);
  const est = new MeanPredictor();
  const grid = new ParamGridBuilder().addGrid(est.offset, [0, 3, -3]).build();
  for (const [ratio, seed] of [[undefined, 11], [0.5, 3]] as const) {
    resetLog();
    const tvs = new TrainValidationSplit({ estimator: est, evaluator: new Mse(), estimatorParamMaps: grid, seed, trainRatio: ratio, collectSubModels: true });
    t.equal(tvs.getTrainRatio(), ratio ?? 0.75);
    const m = await tvs.fit(df);
    const r = ratio ?? 0.75;
    const [tr, va] = await Promise.all(df.randomSplit([r, 1 - r], seed).map(ids));
    t.same(log.train.slice(0, 3), [tr, tr, tr]);
    t.same(log.valid, [va, va, va]);
    t.same([...tr!, ...va!].sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i));
    const expected = [0, 3, -3].map((o) => handMse(tr!, va!, yOf, o));
    m.validationMetrics.forEach((v, j) => t.ok(Math.abs(v - expected[j]!) < 1e-12, `validationMetrics[${j}]`));
    const bestJ = expected.indexOf(Math.min(...expected));
    t.equal(m.bestModel.getOrDefault('offset'), [0, 3, -3][bestJ]);
    t.same(log.train[3], Array.from({ length: n }, (_, i) => i), 'refitted on all the data');
    t.equal(m.subModels.length, 3);
    t.same(m.subModels.map((s) => s.getOrDefault('offset')), [0, 3, -3]);
    t.equal(m.getTrainRatio(), r);
    t.equal(m.uid, tvs.uid);
  }
  t.throws(() => new TrainValidationSplitModel(undefined), /TrainValidationSplitModel: expected a Model for bestModel, got undefined/);
});

t.test('TrainValidationSplit errors: trainRatio outside (0, 1), missing estimator, empty grid', async (t) => {
  for (const r of [0, 1, 1.5, -0.1]) t.throws(() => new TrainValidationSplit({ trainRatio: r }), new RegExp(`TrainValidationSplit: expected a number in \\(0, 1\\) for trainRatio, got ${String(r).replace('.', '\\.')} \\(number\\)`));
  const est = new MeanPredictor();
  await t.rejects(new TrainValidationSplit({ evaluator: new Mse(), estimatorParamMaps: [new ParamMap()] }).fit(six()), /TrainValidationSplit: expected an Estimator \(set estimator before fitting\) for estimator/);
  await t.rejects(new TrainValidationSplit({ estimator: est, evaluator: new Mse(), estimatorParamMaps: [] }).fit(six()), /TrainValidationSplit: expected a non-empty array of ParamMaps/);
  await t.rejects(new TrainValidationSplit({ estimator: est, evaluator: new Mse(), estimatorParamMaps: [new ParamMap()] }).fit(many(1)), { code: 'ERR_KINDLING_INVALID_ARG', message: /^TrainValidationSplit: the (training|validation) set is empty \(randomSplit of 1 rows at trainRatio = 0\.75\); use more rows$/ });
  const m = await new TrainValidationSplit({ estimator: est, evaluator: new Mse(), estimatorParamMaps: [new ParamMap()] }).fit(many(20));
  t.equal(m.validationMetrics.length, 1, 'an empty ParamMap is one grid point');
  t.throws(() => m.subModels, /TrainValidationSplitModel: subModels not available/);
  const events: ProgressEvent[] = [];
  const tvs = new TrainValidationSplit({ estimator: est, evaluator: new Mse(), estimatorParamMaps: new ParamGridBuilder().addGrid(est.offset, [0, 1]).build() });
  await tvs.fit(many(20), undefined, { onProgress: (e) => events.push(e) });
  t.same(events.map((e) => [e.kind, e.current, e.total]), [['grid', 1, 2], ['grid', 2, 2], ['stage', 1, 1]]);
});

// ----- nesting --------------------------------------------------------------------------------------

t.test('a Pipeline inside a CrossValidator: grid params of nested stages reach them', async (t) => {
  const rename = new Rename({ inputCol: 'y', outputCol: 'y2' });
  const est = new MeanPredictor({ labelCol: 'y2' });
  const pipe = new Pipeline({ stages: [rename, est] });
  const grid = new ParamGridBuilder().addGrid(est.offset, offsets).build();
  const cv = new CrossValidator({ estimator: pipe, evaluator: new Mse({ labelCol: 'y2' }), estimatorParamMaps: grid, foldCol: 'fold' });
  const m = await cv.fit(six());
  t.same(m.avgMetrics, [3.75, 4.75, 4.75], 'the same metrics as the bare estimator');
  t.ok(m.bestModel instanceof PipelineModel);
  const inner = (m.bestModel as PipelineModel).stages[1] as MeanPredictorModel;
  t.equal(inner.mean, 3.5);
  t.equal(inner.getOrDefault(inner.offset), 0);
  t.equal(est.isSet(est.offset), false);
  // a copied CrossValidator (fresh estimator objects, same uids) still takes the grid
  const copy = cv.copy();
  t.not(copy.get(copy.estimator), pipe);
  t.same((await copy.fit(six())).avgMetrics, [3.75, 4.75, 4.75]);
});

t.test('a CrossValidator inside a Pipeline fits and transforms as a stage', async (t) => {
  const est = new MeanPredictor({ labelCol: 'y2' });
  const cv = new CrossValidator({ estimator: est, evaluator: new Mse({ labelCol: 'y2' }), estimatorParamMaps: new ParamGridBuilder().addGrid(est.offset, offsets).build(), foldCol: 'fold' });
  const pipe = new Pipeline({ stages: [new Rename({ inputCol: 'y', outputCol: 'y2' }), cv] });
  const pm = await pipe.fit(six());
  t.ok(pm.stages[1] instanceof CrossValidatorModel);
  t.same((pm.stages[1] as CrossValidatorModel).avgMetrics, [3.75, 4.75, 4.75]);
  t.same((await pm.transform(six()).select('p').collect()).map((r) => r.p), [3.5, 3.5, 3.5, 3.5, 3.5, 3.5]);

  const dir = join(tmp, 'pipeline-with-cv');
  await pm.save(dir);
  t.same(readdirSync(join(dir, 'stages')).sort(), [`0_${pipe.getStages()[0]!.uid}`, `1_${cv.uid}`]);
  t.same(readdirSync(join(dir, 'stages', `1_${cv.uid}`)).sort(), ['bestModel', 'estimator', 'evaluator', 'metadata']);
  const back = await PipelineModel.load(dir);
  const cvm = back.stages[1] as CrossValidatorModel;
  t.same(cvm.avgMetrics, [3.75, 4.75, 4.75]);
  t.same(await back.transform(six()).collect(), await pm.transform(six()).collect());
});

// ----- persistence -------------------------------------------------------------------------------------

t.test("CrossValidator saves as Spark's ValidatorParams: metadata, estimatorParamMaps as JSON strings, estimator/ and evaluator/", async (t) => {
  const est = new MeanPredictor({ labelCol: 'y' });
  const ev = new Mse();
  const grid = new ParamGridBuilder().addGrid(est.offset, [0, 1.5]).addGrid(est.delayMs, [0, 2]).build();
  const cv = new CrossValidator({ estimator: est, evaluator: ev, estimatorParamMaps: grid, numFolds: 2, seed: 42 });
  const dir = join(tmp, 'cv');
  await cv.save(dir);
  t.same(readdirSync(dir).sort(), ['estimator', 'evaluator', 'metadata']);
  const line = readFileSync(join(dir, 'metadata/part-00000'), 'utf8');
  const md = parseSparkJson(line) as Record<string, any>;
  t.same(Object.keys(md), ['class', 'timestamp', 'sparkVersion', 'uid', 'paramMap', 'defaultParamMap', 'kindlingVersion']);
  t.equal(md.class, 'org.apache.spark.ml.tuning.CrossValidator');
  t.same(Object.keys(md.paramMap), ['collectSubModels', 'foldCol', 'numFolds', 'parallelism', 'seed', 'estimatorParamMaps'], 'every param value (set or default) but estimator/evaluator, estimatorParamMaps last');
  t.same(md.defaultParamMap, { collectSubModels: false, foldCol: '', numFolds: 3, parallelism: 1, seed: javaStringHash('org.apache.spark.ml.tuning.CrossValidator') });
  const e = (name: string, value: string) => `{"parent":"${est.uid}","name":"${name}","value":"${value.replace(/"/g, '\\"')}","isJson":"true"}`;
  t.match(line, `"estimatorParamMaps":[[${e('offset', '0.0')},${e('delayMs', '0')}],[${e('offset', '0.0')},${e('delayMs', '2')}],[${e('offset', '1.5')},${e('delayMs', '0')}],[${e('offset', '1.5')},${e('delayMs', '2')}]]`);
  t.match(readFileSync(join(dir, 'estimator/metadata/part-00000'), 'utf8'), `"class":"org.kindling.test.MeanPredictor"`);
  t.match(readFileSync(join(dir, 'evaluator/metadata/part-00000'), 'utf8'), `"class":"org.kindling.test.MseEvaluator"`);

  const back = await CrossValidator.load(dir);
  t.equal(back.uid, cv.uid);
  t.equal(back.getNumFolds(), 2);
  t.equal(back.getSeed(), 42);
  const best = back.getEstimator() as MeanPredictor;
  t.equal(best.uid, est.uid);
  t.ok(back.getEvaluator() instanceof Mse);
  const maps = back.getEstimatorParamMaps();
  t.equal(maps.length, 4);
  t.ok(maps.every((m) => m.entries().every(([p]) => p === best.offset || p === best.delayMs)), "the maps hold the loaded estimator's own params");
  t.same(maps.map((m) => [m.get(best.offset), m.get(best.delayMs)]), [[0, 0], [0, 2], [1.5, 0], [1.5, 2]]);
  t.same((await back.fit(many(30))).avgMetrics, (await cv.fit(many(30))).avgMetrics, 'the loaded validator fits the same');

  // PySpark's own writer stores plain JSON values and a boolean isJson; older files have no isJson
  const py = line
    .replace(/"value":"(-?[0-9.]+)","isJson":"true"/g, '"value":$1,"isJson":true')
    .replace(`"name":"delayMs","value":2,"isJson":true`, `"name":"delayMs","value":"2"`);
  t.match(py, '"value":1.5,"isJson":true');
  t.match(py, '"name":"delayMs","value":"2"}');
  writeFileSync(join(dir, 'metadata/part-00000'), py);
  const fromPy = await CrossValidator.load(dir);
  const e2 = fromPy.getEstimator() as MeanPredictor;
  t.same(fromPy.getEstimatorParamMaps().map((m) => [m.get(e2.offset), m.get(e2.delayMs)]), [[0, 0], [0, 2], [1.5, 0], [1.5, 2]]);
});

t.test('CrossValidatorModel: avgMetrics, stdMetrics, persistSubModels, bestModel/, subModels/fold<i>/<j>/', async (t) => {
  const est = new MeanPredictor();
  const grid = new ParamGridBuilder().addGrid(est.offset, offsets).build();
  const model = await new CrossValidator({ estimator: est, evaluator: new Mse(), estimatorParamMaps: grid, foldCol: 'fold', collectSubModels: true }).fit(six());
  const dir = join(tmp, 'cvm');
  await model.write().save(dir);
  t.same(readdirSync(dir).sort(), ['bestModel', 'estimator', 'evaluator', 'metadata', 'subModels']);
  t.same(readdirSync(join(dir, 'subModels')).sort(), ['fold0', 'fold1', 'fold2']);
  t.same(readdirSync(join(dir, 'subModels/fold1')).sort(), ['0', '1', '2']);
  t.ok(existsSync(join(dir, 'subModels/fold2/2/data/_SUCCESS')));
  const line = readFileSync(join(dir, 'metadata/part-00000'), 'utf8');
  const md = parseSparkJson(line) as Record<string, any>;
  t.same(Object.keys(md), ['class', 'timestamp', 'sparkVersion', 'uid', 'paramMap', 'defaultParamMap', 'avgMetrics', 'persistSubModels', 'stdMetrics', 'kindlingVersion']);
  t.equal(md.class, 'org.apache.spark.ml.tuning.CrossValidatorModel');
  t.same(Object.keys(md.paramMap), ['foldCol', 'numFolds', 'seed', 'estimatorParamMaps']);
  t.match(line, '"avgMetrics":[3.75,4.75,4.75],"persistSubModels":true,"stdMetrics":[');
  t.match(line, `"estimatorParamMaps":[[{"parent":"${est.uid}","name":"offset","value":"0.0","isJson":"true"}],[{"parent":"${est.uid}","name":"offset","value":"1.0","isJson":"true"}],[{"parent":"${est.uid}","name":"offset","value":"-1.0","isJson":"true"}]]`);

  const back = await CrossValidatorModel.load(dir);
  t.equal(back.uid, model.uid);
  t.same(back.avgMetrics, model.avgMetrics);
  t.same(back.stdMetrics, model.stdMetrics);
  t.equal((back.bestModel as MeanPredictorModel).mean, 3.5);
  t.equal(back.getFoldCol(), 'fold');
  t.same(back.subModels.map((r) => r.map((s) => (s as MeanPredictorModel).mean)), [[4, 4, 4], [3.5, 3.5, 3.5], [3, 3, 3]]);
  t.same(back.subModels[2]!.map((s) => s.getOrDefault('offset')), offsets);
  t.same(await back.transform(six()).collect(), await model.transform(six()).collect());

  const slim = join(tmp, 'cvm-slim');
  await model.write().option('persistSubModels', 'false').save(slim);
  t.same(readdirSync(slim).sort(), ['bestModel', 'estimator', 'evaluator', 'metadata']);
  t.equal((await CrossValidatorModel.load(slim)).hasSubModels(), false);
  const noSubs = await new CrossValidator({ estimator: est, evaluator: new Mse(), estimatorParamMaps: grid, foldCol: 'fold' }).fit(six());
  await t.rejects(noSubs.write().option('PERSISTSUBMODELS', 'true').save(join(tmp, 'cvm-bad')), /CrossValidatorModel\.save: When persisting tuning models, you can only set persistSubModels to true if the tuning was done with collectSubModels set to true/);
  await t.rejects(noSubs.write().option('persistSubModels', 'yes').save(join(tmp, 'cvm-bad')), /CrossValidatorModel\.save: expected "true" or "false" for option persistSubModels, got "yes"/);
  t.equal(existsSync(join(tmp, 'cvm-bad')), false);
  await t.rejects(TrainValidationSplitModel.load(dir), /TrainValidationSplitModel\.load: expected a saved org\.apache\.spark\.ml\.tuning\.TrainValidationSplitModel at .*, found class org\.apache\.spark\.ml\.tuning\.CrossValidatorModel/);
});

t.test('TrainValidationSplit / TrainValidationSplitModel round trips', async (t) => {
  const est = new MeanPredictor();
  const grid = new ParamGridBuilder().addGrid(est.offset, [0, 2]).build();
  const tvs = new TrainValidationSplit({ estimator: est, evaluator: new Mse({ largerIsBetter: true }), estimatorParamMaps: grid, trainRatio: 0.6, seed: 5, collectSubModels: true });
  const dir = join(tmp, 'tvs');
  await tvs.save(dir);
  const md = parseSparkJson(readFileSync(join(dir, 'metadata/part-00000'), 'utf8')) as Record<string, any>;
  t.equal(md.class, 'org.apache.spark.ml.tuning.TrainValidationSplit');
  t.same(Object.keys(md.paramMap), ['collectSubModels', 'parallelism', 'seed', 'trainRatio', 'estimatorParamMaps']);
  t.match(readFileSync(join(dir, 'metadata/part-00000'), 'utf8'), '"trainRatio":0.6');
  const tvs2 = await TrainValidationSplit.load(dir);
  t.equal(tvs2.getTrainRatio(), 0.6);
  t.equal(tvs2.getCollectSubModels(), true);
  t.equal(tvs2.getEvaluator().isLargerBetter(), true);

  const m = await tvs2.fit(many(30));
  const mdir = join(tmp, 'tvsm');
  await m.save(mdir);
  t.same(readdirSync(mdir).sort(), ['bestModel', 'estimator', 'evaluator', 'metadata', 'subModels']);
  t.same(readdirSync(join(mdir, 'subModels')).sort(), ['0', '1']);
  const mmd = parseSparkJson(readFileSync(join(mdir, 'metadata/part-00000'), 'utf8')) as Record<string, any>;
  t.same(Object.keys(mmd), ['class', 'timestamp', 'sparkVersion', 'uid', 'paramMap', 'defaultParamMap', 'validationMetrics', 'persistSubModels', 'kindlingVersion']);
  const back = await TrainValidationSplitModel.load(mdir);
  t.same(back.validationMetrics, m.validationMetrics);
  t.equal(back.bestModel.getOrDefault('offset'), m.bestModel.getOrDefault('offset'));
  t.same(back.subModels.map((s) => (s as MeanPredictorModel).mean), m.subModels.map((s) => (s as MeanPredictorModel).mean));
  t.equal(back.getTrainRatio(), 0.6);
});

t.test('saving refuses a non-persistable estimator or evaluator before writing', async (t) => {
  class Loose extends Evaluator {
    constructor(options?: object, uid?: string) {
      super(uid);
      this.setParams(options as Record<string, unknown>);
    }
    protected async evaluateImpl(): Promise<number> {
      return 0;
    }
  }
  const est = new MeanPredictor();
  const ev = new Loose();
  const cv = new CrossValidator({ estimator: est, evaluator: ev, estimatorParamMaps: [new ParamMap()] });
  const dir = join(tmp, 'loose');
  await t.rejects(cv.save(dir), new RegExp(`CrossValidator\\.save: stage 1 of ${cv.uid} \\(${ev.uid}, class Loose\\) is not persistable`));
  t.equal(existsSync(dir), false);
  t.ok(new MLWriter(cv) instanceof MLWriter);
});
