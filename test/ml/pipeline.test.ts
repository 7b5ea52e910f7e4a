// Pipeline / PipelineModel: fit order (estimators fitted on the data the previous stages
// produced, nothing transformed after the last estimator), transform and transformSchema
// chains, copies with extra params reaching nested stages, progress events, and errors.
import t from 'tap';
import * as arrow from 'apache-arrow';
import { Session, col, lit, functions as F } from '../../ts/src/index.js';
import type { DataFrame } from '../../ts/src/dataframe/dataframe.js';
import { ParamMap, Params, ParamValidators as V } from '../../ts/ml/param/params.js';
import { HasInputColMixin, HasOutputColMixin } from '../../ts/ml/param/shared-params.js';
import { uidOutputCol } from '../../ts/ml/param/shared-params.table.js';
import { Estimator, Model, Transformer, type FitOptions, type ProgressEvent } from '../../ts/ml/stage.js';
import { Pipeline, PipelineModel } from '../../ts/ml/pipeline.js';

const spark = await Session.builder().appName('pipeline-test').master('local').getOrCreate();
t.teardown(() => spark.stop());

function appendDouble(api: string, schema: arrow.Schema, input: string, output: string): arrow.Schema {
  const f = schema.fields.find((x) => x.name === input);
  if (!f) throw new TypeError(`${api}: no column ${input}`);
  if (schema.fields.some((x) => x.name === output)) throw new TypeError(`${api}: column ${output} exists`);
  return new arrow.Schema([...schema.fields, new arrow.Field(output, new arrow.Float64(), true)]);
}

/** out = in * factor. */
class Scale extends HasInputColMixin(HasOutputColMixin(Transformer, uidOutputCol)) {
  readonly factor = this.param<number>('factor', 'multiplier', { default: 1, validate: V.gt(-Infinity) });
  calls = 0;
  constructor(options?: { inputCol?: string; outputCol?: string; factor?: number }, uid?: string) {
    super(uid);
    this.setParams(options);
  }
  transformSchema(schema: arrow.Schema): arrow.Schema {
    return appendDouble('Scale', schema, this.getOrDefault(this.inputCol), this.getOrDefault(this.outputCol));
  }
  protected transformImpl(df: DataFrame): DataFrame {
    this.calls++;
    return df.withColumn(this.getOrDefault(this.outputCol), col(this.getOrDefault(this.inputCol)).multiply(lit(this.getOrDefault(this.factor))).cast('double'));
  }
}

/** Learns the mean of inputCol; its model writes in - mean (+ offset). */
class Center extends HasInputColMixin(HasOutputColMixin(Estimator<CenterModel>, uidOutputCol)) {
  readonly offset = this.param<number>('offset', 'added after centering', { default: 0, validate: V.gt(-Infinity) });
  fittedOn: number[][] = [];
  constructor(options?: { inputCol?: string; outputCol?: string; offset?: number }, uid?: string) {
    super(uid);
    this.setParams(options);
  }
  transformSchema(schema: arrow.Schema): arrow.Schema {
    return appendDouble('Center', schema, this.getOrDefault(this.inputCol), this.getOrDefault(this.outputCol));
  }
  protected async fitImpl(df: DataFrame, options: FitOptions): Promise<CenterModel> {
    const input = this.getOrDefault(this.inputCol);
    const rows = await df.select(input).collect();
    this.fittedOn.push(rows.map((r) => Number(r[input])));
    options.onProgress?.({ stage: this.uid, kind: 'iteration', current: 1, total: 1 });
    const m = (await df.agg(F.avg(input).alias('m')).first())!.m as number;
    return this.copyValues(new CenterModel({ mean: m }, this.uid));
  }
}

class CenterModel extends HasInputColMixin(HasOutputColMixin(Model, uidOutputCol)) {
  readonly offset = this.param<number>('offset', 'added after centering', { default: 0, validate: V.gt(-Infinity) });
  readonly mean: number;
  constructor(state?: { mean: number }, uid?: string) {
    super(uid);
    this.mean = state?.mean ?? NaN;
  }
  transformSchema(schema: arrow.Schema): arrow.Schema {
    return appendDouble('CenterModel', schema, this.getOrDefault(this.inputCol), this.getOrDefault(this.outputCol));
  }
  protected transformImpl(df: DataFrame): DataFrame {
    return df.withColumn(this.getOrDefault(this.outputCol), col(this.getOrDefault(this.inputCol)).minus(lit(this.mean)).plus(lit(this.getOrDefault(this.offset))).cast('double'));
  }
  override copy(extra?: ParamMap): this {
    const Ctor = this.constructor as new (s: { mean: number }, uid?: string) => this;
    return this.copyValues(new Ctor({ mean: this.mean }, this.uid), extra).setParent(this.parent);
  }
}

const data = () => spark.createDataFrame({ x: new Float64Array([1, 2, 3, 6]) });

t.test('fit runs stages in order: transformers transform, estimators fit on the current data', async (t) => {
  const scale = new Scale({ inputCol: 'x', outputCol: 'x2', factor: 2 });
  const center = new Center({ inputCol: 'x2', outputCol: 'c' });
  const after = new Scale({ inputCol: 'c', outputCol: 'c10', factor: 10 });
  const pipe = new Pipeline({ stages: [scale, center, after] });
  const model = await pipe.fit(data());
  t.ok(model instanceof PipelineModel);
  t.equal(model.uid, pipe.uid, 'the model keeps the pipeline uid (Spark)');
  t.equal(model.parent, pipe);
  t.equal(model.stages.length, 3);
  t.equal(model.stages[0], scale, 'transformers are kept as they are');
  t.ok(model.stages[1] instanceof CenterModel);
  t.equal(model.stages[1]!.uid, center.uid);
  t.equal(model.stages[2], after);
  t.same(center.fittedOn, [[2, 4, 6, 12]], 'the estimator saw the scaled column');
  t.equal((model.stages[1] as CenterModel).mean, 6);
  t.equal(after.calls, 0, 'nothing after the last estimator is transformed during fit');
  const out = await model.transform(data()).collect();
  t.same(out.map((r) => [r.x, r.x2, r.c, r.c10]), [[1, 2, -4, -40], [2, 4, -2, -20], [3, 6, 0, 0], [6, 12, 6, 60]]);
});

t.test('a pipeline of estimators fits each on the output of the previous model', async (t) => {
  const a = new Center({ inputCol: 'x', outputCol: 'a', offset: 1 });
  const b = new Center({ inputCol: 'a', outputCol: 'b' });
  const model = await new Pipeline({ stages: [a, b] }).fit(data());
  t.same(a.fittedOn, [[1, 2, 3, 6]]);
  t.same(b.fittedOn, [[-1, 0, 1, 4]], 'b saw a.transform (x - 3 + 1)');
  t.equal((model.stages[1] as CenterModel).mean, 1);
  t.same((await model.transform(data()).select('b').collect()).map((r) => r.b), [-2, -1, 0, 3]);
});

t.test('empty pipeline and transformer-only pipeline', async (t) => {
  const empty = await new Pipeline().fit(data());
  t.same(empty.stages, []);
  t.same(await empty.transform(data()).collect(), await data().collect());
  const s = new Scale({ inputCol: 'x', outputCol: 'y', factor: 3 });
  const m = await new Pipeline().setStages([s]).fit(data());
  t.equal(m.stages[0], s);
  t.same((await m.transform(data()).collect()).map((r) => r.y), [3, 6, 9, 18]);
});

t.test('transformSchema chains and checks before any data moves', async (t) => {
  const pipe = new Pipeline({ stages: [new Scale({ inputCol: 'x', outputCol: 'x2' }), new Center({ inputCol: 'x2', outputCol: 'c' })] });
  const schema = pipe.transformSchema(data().schema);
  t.same(schema.fields.map((f) => f.name), ['x', 'x2', 'c']);
  const bad = new Pipeline({ stages: [new Scale({ inputCol: 'x', outputCol: 'x2' }), new Center({ inputCol: 'nope', outputCol: 'c' })] });
  t.throws(() => bad.transformSchema(data().schema), /Center: no column nope/);
  const center = bad.getStages()[1] as Center;
  await t.rejects(bad.fit(data()), /Center: no column nope/);
  t.same(center.fittedOn, [], 'nothing was fitted');
  const model = await pipe.fit(data());
  t.same(model.transformSchema(data().schema).fields.map((f) => f.name), ['x', 'x2', 'c']);
  t.throws(() => model.transform(spark.createDataFrame({ z: new Float64Array([1]) })), /Scale: no column x/);
});

t.test('the same stage twice is refused (Spark: duplicate components)', async (t) => {
  const s = new Scale({ inputCol: 'x', outputCol: 'y' });
  const pipe = new Pipeline({ stages: [s, s] });
  t.throws(() => pipe.transformSchema(data().schema), /Pipeline: expected distinct stage objects \(a pipeline cannot hold the same stage twice\) for stages, got "Scale_[0-9a-f]{12}, Scale_/);
});

t.test('stages param: Spark name, validation, explainParams', async (t) => {
  const pipe = new Pipeline();
  t.same(pipe.params.map((p) => p.name), ['stages']);
  t.same(pipe.getStages(), []);
  t.throws(() => pipe.setStages([1 as never]), /Pipeline: expected an array of pipeline stages \(Estimators or Transformers\) for stages, got Array\(1\)/);
  t.throws(() => new Pipeline({ stagez: [] } as never), /Pipeline: expected param names among stages for options, got "stagez"/);
  const s = new Scale({ inputCol: 'x' });
  pipe.setStages([s]);
  t.equal(pipe.explainParams(), `stages: stages of the pipeline (current: [${s.uid}])`);
});

t.test('a param name declared twice is refused, by param() as by a params table', async (t) => {
  class Twice extends Params {
    readonly a = this.param<number>('factor', 'one');
    readonly b = this.param<number>('factor', 'two');
  }
  t.throws(() => new Twice(), /^Twice: expected a name not declared yet \(factor is\) for param, got "factor" \(string\)$/);
  class Again extends Scale {
    readonly again = this.param<string>('inputCol', 'declared by Scale already');
  }
  t.throws(() => new Again(), /^Again: expected a name not declared yet \(inputCol is\) for param, got "inputCol" \(string\)$/);
});

t.test('fit(df, extra) and copy(extra) reach the nested stages; the originals stay as they are', async (t) => {
  const center = new Center({ inputCol: 'x', outputCol: 'c' });
  const pipe = new Pipeline({ stages: [center] });
  const model = await pipe.fit(data(), ParamMap.of([center.offset, 100]));
  const cm = model.stages[0] as CenterModel;
  t.equal(cm.getOrDefault(cm.offset), 100);
  t.equal(center.isSet(center.offset), false, 'the original stage is untouched');
  t.same((await model.transform(data()).select('c').collect()).map((r) => r.c), [98, 99, 100, 103]);

  const copy = pipe.copy(ParamMap.of([center.outputCol, 'renamed']));
  t.equal(copy.uid, pipe.uid);
  t.not(copy.getStages()[0], center);
  t.equal((copy.getStages()[0] as Center).getOrDefault('outputCol'), 'renamed');
  t.equal(center.getOrDefault(center.outputCol), 'c');

  const mcopy = model.copy(ParamMap.of([cm.offset, -1]));
  t.equal(mcopy.uid, model.uid);
  t.not(model.parent, pipe, 'fit(df, extra) fits a copy (Spark: copy(extra).fit(df))');
  t.equal(model.parent!.uid, pipe.uid);
  t.equal(mcopy.parent, model.parent);
  t.equal((mcopy.stages[0] as CenterModel).mean, 3);
  t.same((await model.transform(data(), ParamMap.of([cm.offset, 0])).select('c').collect()).map((r) => r.c), [-2, -1, 0, 3]);
  t.equal(cm.getOrDefault(cm.offset), 100);
});

t.test("progress: a 'stage' event per stage, and the stages' own events pass through", async (t) => {
  const a = new Scale({ inputCol: 'x', outputCol: 'y' });
  const b = new Center({ inputCol: 'y', outputCol: 'c' });
  const pipe = new Pipeline({ stages: [a, b] });
  const events: ProgressEvent[] = [];
  await pipe.fit(data(), undefined, { onProgress: (e) => events.push(e) });
  t.same(events, [
    { stage: pipe.uid, kind: 'stage', current: 1, total: 2, message: a.uid },
    { stage: pipe.uid, kind: 'stage', current: 2, total: 2, message: b.uid },
    { stage: b.uid, kind: 'iteration', current: 1, total: 1 },
  ]);
});

t.test('PipelineModel construction checks its stages', async (t) => {
  t.throws(() => new PipelineModel([new Center({ inputCol: 'x' }) as never]), /PipelineModel: expected an array of Transformers for stages/);
  const m = new PipelineModel([new Scale({ inputCol: 'x', outputCol: 'y', factor: 0.5 })]);
  t.match(m.uid, /^PipelineModel_[0-9a-f]{12}$/);
  t.same((await m.transform(data()).collect()).map((r) => r.y), [0.5, 1, 1.5, 3]);
});
