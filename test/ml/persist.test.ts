// Spark ML persistence: every Spark-written metadata file in the fixtures read (classes, uids,
// versions, JSON values incl. 64-bit seeds, files without defaultParamMap), Spark pipelines
// loaded through stand-in classes (and an unknown class refused naming it), round trips of
// Pipelines / PipelineModels of test stages with Spark's layout checked file by file and key by
// key, JSON encodings (doubles vs ints), model data as Parquet, atomic overwrite (and saves
// killed after every commit step), errors.
import t from 'tap';
import { existsSync, mkdtempSync, rmSync, readdirSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { parquetMetadata } from 'hyparquet';
import { Session, col, lit, functions as F } from '../../ts/src/index.js';
import type { DataFrame } from '../../ts/src/dataframe/dataframe.js';
import { ParamMap, ParamValidators as V, type Param } from '../../ts/ml/param/params.js';
import { HasInputColMixin, HasOutputColMixin } from '../../ts/ml/param/shared-params.js';
import { uidOutputCol } from '../../ts/ml/param/shared-params.table.js';
import { Estimator, Model, Transformer, type FitOptions } from '../../ts/ml/stage.js';
import { Pipeline, PipelineModel } from '../../ts/ml/pipeline.js';
import {
  DefaultParamsReader, JsonDouble, MLWriter, SPARK_VERSION, getAndSetParams, kindlingVersion, loadAs, loadStage, parseSparkJson, readData, readMetadata,
  register, registeredClass, sparkClassOf, sparkMajorMinor, stagePath, toSparkJson, writeData, writeMetadata, encodeParams,
} from '../../ts/ml/persist.js';
import { COMMIT_STEPS, STALE_GRACE_MS, SimulatedCrash, commitHooks } from '../../ts/src/io/commit.js';

const FIXTURES = join(import.meta.dirname, '../../../shared/fixtures/spark-models');
const spark = await Session.builder().appName('persist-test').master('local').getOrCreate();
t.teardown(() => spark.stop());
const tmp = mkdtempSync(join(tmpdir(), 'kindling-persist-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

/** Every entry of a directory tree (relative paths, sorted), hidden ones included. */
function tree(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    out.push(e.isDirectory() ? `${r}/` : r);
    if (e.isDirectory()) out.push(...tree(dir, r));
  }
  return out;
}

/** Top-level keys of a metadata line, in file order. */
function keysOf(file: string): string[] {
  return Object.keys(parseSparkJson(readFileSync(file, 'utf8').trim()) as object);
}

function metadataFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === 'metadata' && existsSync(join(p, 'part-00000'))) out.push(p.slice(0, -'/metadata'.length));
      else out.push(...metadataFiles(p));
    }
  }
  return out.sort();
}

// ----- test stages ------------------------------------------------------------------------------

function appendDouble(api: string, schema: arrow.Schema, input: string, output: string): arrow.Schema {
  if (!schema.fields.some((x) => x.name === input)) throw new TypeError(`${api}: no column ${input}`);
  return new arrow.Schema([...schema.fields, new arrow.Field(output, new arrow.Float64(), true)]);
}

class Scale extends HasInputColMixin(HasOutputColMixin(Transformer, uidOutputCol)) {
  readonly factor = this.param<number>('factor', 'multiplier', { default: 1, validate: (v) => (typeof v === 'number' ? null : 'a number') });
  readonly power = this.param<number>('power', 'an integer param', { default: 1, validate: V.int(0) });
  readonly tags = this.param<string[]>('tags', 'a string array param', { validate: V.strArray() });
  readonly weights = this.param<number[]>('weights', 'a double array param', { validate: V.numArray() });
  readonly anything = this.param<unknown>('anything', 'a param without validation');
  constructor(options?: { inputCol?: string; outputCol?: string; factor?: number; power?: number; tags?: string[]; weights?: number[] }, uid?: string) {
    super(uid);
    this.setParams(options);
  }
  transformSchema(schema: arrow.Schema): arrow.Schema {
    return appendDouble('Scale', schema, this.getOrDefault(this.inputCol), this.getOrDefault(this.outputCol));
  }
  protected transformImpl(df: DataFrame): DataFrame {
    return df.withColumn(this.getOrDefault(this.outputCol), col(this.getOrDefault(this.inputCol)).multiply(lit(this.getOrDefault(this.factor))).cast('double'));
  }
}
register('org.kindling.test.Scale', Scale);

class Center extends HasInputColMixin(HasOutputColMixin(Estimator<CenterModel>, uidOutputCol)) {
  constructor(options?: { inputCol?: string; outputCol?: string }, uid?: string) {
    super(uid);
    this.setParams(options);
  }
  transformSchema(schema: arrow.Schema): arrow.Schema {
    return appendDouble('Center', schema, this.getOrDefault(this.inputCol), this.getOrDefault(this.outputCol));
  }
  protected async fitImpl(df: DataFrame, _options: FitOptions): Promise<CenterModel> {
    const m = (await df.agg(F.avg(this.getOrDefault(this.inputCol)).alias('m')).first())!.m as number;
    return this.copyValues(new CenterModel({ mean: m }, this.uid));
  }
}
register('org.kindling.test.Center', Center);

class CenterModel extends HasInputColMixin(HasOutputColMixin(Model, uidOutputCol)) {
  readonly mean: number;
  constructor(state?: { mean: number }, uid?: string) {
    super(uid);
    this.mean = state?.mean ?? NaN;
  }
  transformSchema(schema: arrow.Schema): arrow.Schema {
    return appendDouble('CenterModel', schema, this.getOrDefault(this.inputCol), this.getOrDefault(this.outputCol));
  }
  protected transformImpl(df: DataFrame): DataFrame {
    return df.withColumn(this.getOrDefault(this.outputCol), col(this.getOrDefault(this.inputCol)).minus(lit(this.mean)).cast('double'));
  }
  override copy(extra?: ParamMap): this {
    const Ctor = this.constructor as new (s: { mean: number }, uid?: string) => this;
    return this.copyValues(new Ctor({ mean: this.mean }, this.uid), extra).setParent(this.parent);
  }
  write(): MLWriter {
    return new MLWriter(this);
  }
  save(path: string): Promise<void> {
    return this.write().save(path);
  }
  static load(path: string): Promise<CenterModel> {
    return loadAs(CenterModel, path);
  }
}
register('org.kindling.test.CenterModel', CenterModel, {
  save: async (m, path, ctx) => {
    await writeMetadata(m, path, ctx, { extraMetadata: { numFeatures: 1 } });
    await writeData(path, new arrow.Table({ mean: arrow.makeVector(new Float64Array([m.mean])) }));
  },
  load: async (path, md, ctx) => {
    const data = await readData(path);
    const m = new CenterModel({ mean: data.getChild('mean')!.get(0) as number }, md.uid);
    getAndSetParams(m, md, { api: ctx.api });
    return m;
  },
});

/** A stage that is not registered. */
class Unsaved extends Transformer {
  constructor(options?: object, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown>);
  }
  transformSchema(schema: arrow.Schema): arrow.Schema {
    return schema;
  }
  protected transformImpl(df: DataFrame): DataFrame {
    return df;
  }
}

/** A stage whose save fails after writing part of its directory. */
class Exploding extends Transformer {
  constructor(options?: object, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown>);
  }
  transformSchema(schema: arrow.Schema): arrow.Schema {
    return schema;
  }
  protected transformImpl(df: DataFrame): DataFrame {
    return df;
  }
}
register('org.kindling.test.Exploding', Exploding, {
  save: async (s, path, ctx) => {
    await writeMetadata(s, path, ctx);
    throw new TypeError('disk on fire');
  },
});

const data = () => spark.createDataFrame({ x: new Float64Array([1, 2, 3, 6]) });

// ----- Spark-written metadata --------------------------------------------------------------------

t.test('every Spark-written metadata file in the fixtures reads: class, uid, version, params', async (t) => {
  const dirs = metadataFiles(FIXTURES);
  t.ok(dirs.length >= 30, `${dirs.length} saved stages`);
  for (const d of dirs) {
    const md = await readMetadata(d);
    const raw = JSON.parse(readFileSync(join(d, 'metadata/part-00000'), 'utf8')) as Record<string, unknown>;
    t.equal(md.className, raw.class, `${d}: class`);
    t.equal(md.uid, raw.uid);
    t.equal(md.sparkVersion, raw.sparkVersion);
    t.equal(md.timestamp, raw.timestamp);
    t.match(md.className, /^org\.apache\.spark\.ml\./);
    t.same(Object.keys(md.paramMap), Object.keys(raw.paramMap as object));
    const [major, minor] = md.version;
    if (major === 2 && minor < 4) t.equal(md.defaultParamMap, undefined, `${d}: Spark ${md.sparkVersion} wrote no defaultParamMap`);
    else t.same(Object.keys(md.defaultParamMap!), Object.keys(raw.defaultParamMap as object));
  }
});

t.test('JSON values as Spark writes them: 64-bit seeds stay exact, doubles, arrays, versions', async (t) => {
  const km = await readMetadata(join(FIXTURES, 'kmeans-k100-3.3.1'));
  t.equal(km.defaultParamMap!.seed, -8353184178808604403n, 'a PySpark 64-bit seed is a bigint');
  t.equal(km.paramMap.seed, 100);
  t.equal(km.defaultParamMap!.tol, 1e-4);
  const cv = await readMetadata(join(FIXTURES, 'pipeline-text-naivebayes-3.1.2/stages/2_CountVectorizer_1025f06565ad'));
  t.equal(cv.defaultParamMap!.maxDF, 9.223372036854776e18);
  t.equal(cv.paramMap.minDF, 5);
  const sw = await readMetadata(join(FIXTURES, 'pipeline-text-naivebayes-3.1.2/stages/1_StopWordsRemover_2aa70fa7a850'));
  t.same(sw.paramMap.stopWords, ['http', 'https', 'amp', 'rt', 't', 'c', 'the']);
  const rt = await readMetadata(join(FIXTURES, 'pipeline-text-naivebayes-3.1.2/stages/0_RegexTokenizer_1f6a6089f0dc'));
  t.equal(rt.paramMap.pattern, '\\W');
  const amzn = await readMetadata(join(FIXTURES, 'logreg-elasticnet-3.5.0-amzn'));
  t.same(amzn.version, [3, 5]);
  t.same(sparkMajorMinor('2.4.4-SNAPSHOT'), [2, 4]);
  t.throws(() => sparkMajorMinor('x'), /sparkMajorMinor: expected a Spark version such as 3\.5\.1, got "x" \(string\)/);
  const dt = await readMetadata(join(FIXTURES, 'decisiontree-classifier-3.5.1'));
  t.equal(dt.metadata.numFeatures, 10, 'model fields are kept');
  t.equal(dt.metadata.numClasses, 2);

  t.same(parseSparkJson('{"a":[1,2.5,-0.0,1.0E-4,"x\\"y\\u00e9"],"b":{"c":null,"d":true},"e":9007199254740993}'), {
    a: [1, 2.5, -0, 1e-4, 'x"yé'],
    b: { c: null, d: true },
    e: 9007199254740993n,
  });
  t.same(parseSparkJson('[NaN, Infinity, -Infinity]'), [NaN, Infinity, -Infinity]);
  t.throws(() => parseSparkJson('{"a":1,}'), /parseSparkJson: expected a string key at offset 7/);
  t.throws(() => parseSparkJson('[1] x'), /trailing characters/);
  t.equal(toSparkJson({ a: new JsonDouble(1), b: 2, c: 0.5, d: [new JsonDouble(1e-4), new JsonDouble(NaN)], e: -8353184178808604403n, f: 'é"', g: undefined }),
    '{"a":1.0,"b":2,"c":0.5,"d":[1.0E-4,"NaN"],"e":-8353184178808604403,"f":"é\\""}');
});

/** Stand-in transformers for Spark classes kindling may not implement yet: params only, declared from a list. */
function standIn(name: string, params: Record<string, ((p: never) => string | null) | undefined>) {
  const C = class extends Transformer {
    constructor(options?: object, uid?: string) {
      super(uid);
      for (const [p, validate] of Object.entries(params)) this.param<unknown>(p, p, { validate: validate as never });
      this.setParams(options as Record<string, unknown>);
    }
    transformSchema(schema: arrow.Schema): arrow.Schema {
      return schema;
    }
    protected transformImpl(df: DataFrame): DataFrame {
      return df;
    }
  };
  Object.defineProperty(C, 'name', { value: name });
  return C;
}

t.test('Spark pipelines load through the registry; an unknown class is refused naming it', async (t) => {
  const dir = join(FIXTURES, 'pipeline-vecassembler-stdscaler-kmeans-3.5.5');
  await t.rejects(PipelineModel.load(dir), {
    code: 'ERR_KINDLING_LOAD',
    message: /^PipelineModel\.load: org\.apache\.spark\.ml\.feature\.VectorAssembler \(uid VectorAssembler_3707623a37de, saved at .*stages\/0_VectorAssembler_3707623a37de\) is not implemented yet in kindling: no class is registered for it$/,
  });
  const VectorAssembler = standIn('VectorAssembler', { inputCols: V.strArray(true) as never, outputCol: V.nonEmptyStr() as never, handleInvalid: V.inArray(['error', 'skip', 'keep']) as never });
  register('org.apache.spark.ml.feature.VectorAssembler', VectorAssembler);
  await t.rejects(PipelineModel.load(dir), /org\.apache\.spark\.ml\.feature\.StandardScalerModel \(uid StandardScaler_fbf6327e8230, .*\) is not implemented yet/);
  const StandardScalerModel = standIn('StandardScalerModel', { inputCol: undefined, outputCol: undefined, withMean: V.bool() as never, withStd: V.bool() as never });
  register('org.apache.spark.ml.feature.StandardScalerModel', StandardScalerModel);
  const KMeansModel = standIn('KMeansModel', {
    featuresCol: undefined, predictionCol: undefined, k: V.int(2) as never, maxIter: V.int(0) as never, tol: V.gtEq(0) as never, initSteps: V.int(1) as never,
    initMode: undefined, solver: undefined, distanceMeasure: undefined, maxBlockSizeInMB: V.gtEq(0) as never,
    seed: V.int(-(2 ** 53), 2 ** 53, 'an integer') as never,
  });
  register('org.apache.spark.ml.clustering.KMeansModel', KMeansModel);
  t.equal(registeredClass('org.apache.spark.ml.clustering.KMeansModel'), KMeansModel);

  const pm = await PipelineModel.load(dir);
  t.equal(pm.uid, 'PipelineModel_00ec72ed8501');
  t.same(pm.stages.map((s) => [s.constructor.name, s.uid]), [
    ['VectorAssembler', 'VectorAssembler_3707623a37de'],
    ['StandardScalerModel', 'StandardScaler_fbf6327e8230'],
    ['KMeansModel', 'KMeans_ae88aac955c0'],
  ]);
  const [va, ss, km] = pm.stages as [Transformer, Transformer, Transformer];
  t.equal((va.getOrDefault('inputCols') as string[]).length, 121);
  t.equal((va.getOrDefault('inputCols') as string[])[0], 'energy-kj_100g');
  t.equal(va.getOrDefault('outputCol'), 'features');
  t.equal(va.isSet('handleInvalid'), false);
  t.equal(va.getOrDefault('handleInvalid'), 'error', 'defaults come from defaultParamMap');
  t.equal(va.getDefault(va.getParam('outputCol') as Param<string>), 'VectorAssembler_3707623a37de__output');
  t.equal(ss.getOrDefault('withMean'), true);
  t.equal(ss.getDefault(ss.getParam('withMean') as Param<boolean>), false);
  t.equal(km.getOrDefault('k'), 5);
  t.equal(km.getOrDefault('seed'), 42);
  t.equal(km.getDefault(km.getParam('seed') as Param<number>), undefined, 'a 64-bit PySpark default seed is not representable: skipped');
  t.equal(km.getOrDefault('tol'), 1e-4);
  t.equal(km.getOrDefault('maxBlockSizeInMB'), 0);

  // the same through the generic reader, stage by stage
  const md = await DefaultParamsReader.loadMetadata(join(dir, 'stages/1_StandardScaler_fbf6327e8230'));
  t.equal(md.className, 'org.apache.spark.ml.feature.StandardScalerModel');
  t.same(md.paramMap, { outputCol: 'scaled_features', inputCol: 'features', withMean: true, withStd: true });
  const loaded = await loadStage(join(dir, 'stages/0_VectorAssembler_3707623a37de'), { api: 'test', session: null });
  t.equal(loaded.uid, 'VectorAssembler_3707623a37de');
});

t.test('Spark 2.3 pipelines (no defaultParamMap, every value in paramMap) and 20-hex uids', async (t) => {
  const dir = join(FIXTURES, 'pipeline-text-idf-logreg-2.3.2-metadata-only');
  const all: Record<string, string[]> = {
    StopWordsRemover: ['outputCol', 'caseSensitive', 'inputCol', 'stopWords', 'locale'],
    NGram: ['n', 'outputCol', 'inputCol'],
    CountVectorizerModel: ['binary', 'inputCol', 'vocabSize', 'minDF', 'minTF', 'outputCol', 'maxDF'],
    IDFModel: ['outputCol', 'minDocFreq', 'inputCol'],
    LogisticRegressionModel: ['rawPredictionCol', 'tol', 'aggregationDepth', 'predictionCol', 'maxIter', 'featuresCol', 'fitIntercept', 'family', 'probabilityCol', 'labelCol', 'standardization', 'threshold', 'regParam', 'elasticNetParam'],
  };
  const pkg: Record<string, string> = { StopWordsRemover: 'feature', NGram: 'feature', CountVectorizerModel: 'feature', IDFModel: 'feature', LogisticRegressionModel: 'classification' };
  for (const [name, params] of Object.entries(all)) {
    register(`org.apache.spark.ml.${pkg[name]}.${name}`, standIn(name, Object.fromEntries(params.map((p) => [p, undefined]))));
  }
  const pm = await PipelineModel.load(dir);
  t.equal(pm.uid, 'PipelineModel_4f7b9d32a994500a1ad4');
  t.same(pm.stages.map((s) => s.uid), ['StopWordsRemover_423599bec5871e3ffed4', 'NGram_4502beb9404a4311b4d3', 'CountVectorizer_4a988db9b1e4fcfac4fe', 'IDF_4240bcd585ec2afbe47c', 'LogisticRegression_4232bcf280c352f5096b']);
  const lr = pm.stages[4]!;
  t.equal(lr.isSet('maxIter'), true, 'Spark < 2.4 wrote every value as set');
  t.equal(lr.getOrDefault('maxIter'), 20);
  t.equal(lr.getOrDefault('tol'), 1e-6);
  t.equal(lr.hasDefault('maxIter'), false);
  t.equal((pm.stages[0]!.getOrDefault('stopWords') as string[]).length, 181);
  t.equal(pm.stages[1]!.getOrDefault('n'), 2);
});

t.test("metadata keys of kindling's saves match Spark's, byte for byte apart from values", async (t) => {
  const scale = new Scale({ inputCol: 'x', outputCol: 'y', factor: 2, power: 3, tags: ['a', 'b'], weights: [1, 0.5] });
  const center = new Center({ inputCol: 'y', outputCol: 'c' });
  const pipe = new Pipeline({ stages: [scale, center] });
  const model = await pipe.fit(data());
  const dir = join(tmp, 'pm-keys');
  await model.save(dir);
  t.same(tree(dir), [
    'metadata/', 'metadata/_SUCCESS', 'metadata/part-00000',
    'stages/',
    `stages/0_${scale.uid}/`, `stages/0_${scale.uid}/metadata/`, `stages/0_${scale.uid}/metadata/_SUCCESS`, `stages/0_${scale.uid}/metadata/part-00000`,
    `stages/1_${center.uid}/`, `stages/1_${center.uid}/data/`, `stages/1_${center.uid}/data/_SUCCESS`,
    ...tree(dir).filter((p) => /^stages\/1_.*\/data\/part-00000-[0-9a-f-]{36}-c000\.snappy\.parquet$/.test(p)),
    `stages/1_${center.uid}/metadata/`, `stages/1_${center.uid}/metadata/_SUCCESS`, `stages/1_${center.uid}/metadata/part-00000`,
  ]);
  t.equal(tree(dir).filter((p) => p.endsWith('.snappy.parquet')).length, 1);
  const sparkKeys = keysOf(join(FIXTURES, 'pipeline-vecassembler-stdscaler-kmeans-3.5.5/metadata/part-00000'));
  t.same(sparkKeys, ['class', 'timestamp', 'sparkVersion', 'uid', 'paramMap', 'defaultParamMap']);
  t.same(keysOf(join(dir, 'metadata/part-00000')), [...sparkKeys, 'kindlingVersion']);
  const stageKeys = keysOf(join(FIXTURES, 'pipeline-vecassembler-stdscaler-kmeans-3.5.5/stages/0_VectorAssembler_3707623a37de/metadata/part-00000'));
  t.same(keysOf(join(dir, `stages/0_${scale.uid}/metadata/part-00000`)), [...stageKeys, 'kindlingVersion']);
  const modelKeys = keysOf(join(FIXTURES, 'decisiontree-classifier-3.5.1/metadata/part-00000'));
  t.same(modelKeys.slice(0, 6), sparkKeys);
  t.same(keysOf(join(dir, `stages/1_${center.uid}/metadata/part-00000`)), [...sparkKeys, 'numFeatures', 'kindlingVersion'], 'model fields follow defaultParamMap as in Spark');

  const text = readFileSync(join(dir, 'metadata/part-00000'), 'utf8');
  t.ok(text.endsWith('}\n') && text.indexOf('\n') === text.length - 1, 'one line ending in a newline, as saveAsTextFile writes');
  t.match(text, new RegExp(`^\\{"class":"org\\.apache\\.spark\\.ml\\.PipelineModel","timestamp":\\d{13},"sparkVersion":"3\\.5\\.1","uid":"${pipe.uid}","paramMap":\\{"stageUids":\\["${scale.uid}","${center.uid}"\\]\\},"defaultParamMap":\\{\\},"kindlingVersion":"${kindlingVersion().replace(/\./g, '\\.')}"\\}\\n$`));
  t.equal(SPARK_VERSION, '3.5.1');
  t.equal(readFileSync(join(dir, 'metadata/_SUCCESS')).length, 0);
  const stage0 = readFileSync(join(dir, `stages/0_${scale.uid}/metadata/part-00000`), 'utf8');
  t.match(stage0, `"class":"org.kindling.test.Scale"`);
  t.match(stage0, `"paramMap":{"factor":2.0,"inputCol":"x","outputCol":"y","power":3,"tags":["a","b"],"weights":[1.0,0.5]}`, 'doubles carry a decimal point, ints do not');
  t.match(stage0, `"defaultParamMap":{"factor":1.0,"outputCol":"${scale.uid}__output","power":1}`);
  const fixtureText = readFileSync(join(FIXTURES, 'pipeline-vecassembler-stdscaler-kmeans-3.5.5/metadata/part-00000'), 'utf8');
  t.equal(text.replace(/,"kindlingVersion":"[^"]*"/, '').replace(/"timestamp":\d+/, '"timestamp":0').replace(/"uid":"[^"]*"/, '"uid":"U"').replace(/"stageUids":\[[^\]]*\]/, '"stageUids":[]').replace('3.5.1', 'V'),
    fixtureText.replace(/"timestamp":\d+/, '"timestamp":0').replace(/"uid":"[^"]*"/, '"uid":"U"').replace(/"stageUids":\[[^\]]*\]/, '"stageUids":[]').replace('3.5.5', 'V'),
    'the same bytes as Spark once uid, timestamp, version and stage uids are masked');
});

t.test('round trips: Pipeline and PipelineModel keep classes, uids, params, state and results', async (t) => {
  const scale = new Scale({ inputCol: 'x', outputCol: 'y', factor: 2.5, tags: [] });
  const center = new Center({ inputCol: 'y', outputCol: 'c' });
  const pipe = new Pipeline({ stages: [scale, center] });
  const pdir = join(tmp, 'pipe');
  await pipe.save(pdir);
  const pipe2 = await Pipeline.load(pdir);
  t.equal(pipe2.uid, pipe.uid);
  t.same(pipe2.getStages().map((s) => [s.constructor.name, s.uid]), [['Scale', scale.uid], ['Center', center.uid]]);
  const s2 = pipe2.getStages()[0] as Scale;
  t.equal(s2.getOrDefault(s2.factor), 2.5);
  t.same(s2.getOrDefault(s2.tags), []);
  t.equal(s2.isSet(s2.power), false);
  t.equal(s2.explainParams(), scale.explainParams().replaceAll(scale.uid, s2.uid));

  const model = await pipe2.fit(data());
  const mdir = join(tmp, 'model');
  await model.write().session(spark).save(mdir);
  const m2 = await PipelineModel.read().session(spark).load(mdir);
  t.equal(m2.uid, model.uid);
  t.equal((m2.stages[1] as CenterModel).mean, 7.5);
  t.same(await m2.transform(data()).collect(), await model.transform(data()).collect());
  t.same((await m2.transform(data()).select('c').collect()).map((r) => r.c), [-5, -2.5, 0, 7.5]);
  const cm = await CenterModel.load(join(mdir, `stages/1_${center.uid}`));
  t.equal(cm.mean, 7.5);
  t.equal(sparkClassOf(cm), 'org.kindling.test.CenterModel');
});

t.test('stage directories are zero-padded to the digits of the stage count (Spark getStagePath)', async (t) => {
  t.equal(stagePath('s', 'u', 3, 5), 's/3_u');
  t.equal(stagePath('s', 'u', 3, 10), 's/03_u');
  t.equal(stagePath('s', 'u', 10, 11), 's/10_u');
  t.equal(stagePath('s', 'u', 7, 100), 's/007_u');
  const stages = Array.from({ length: 11 }, (_, i) => new Scale({ inputCol: 'x', outputCol: `y${i}` }));
  const model = new PipelineModel(stages);
  const dir = join(tmp, 'eleven');
  await model.save(dir);
  t.same(readdirSync(join(dir, 'stages')).sort(), stages.map((s, i) => `${String(i).padStart(2, '0')}_${s.uid}`).sort());
  const back = await PipelineModel.load(dir);
  t.same(back.stages.map((s) => s.uid), stages.map((s) => s.uid));
  t.same(back.stages.map((s) => s.getOrDefault('outputCol')), stages.map((_, i) => `y${i}`));
});

t.test('save refuses an existing path unless overwrite(); overwrite replaces it', async (t) => {
  const dir = join(tmp, 'exists');
  const a = new PipelineModel([new Scale({ inputCol: 'x', outputCol: 'a' })]);
  await a.save(dir);
  const b = new PipelineModel([new Scale({ inputCol: 'x', outputCol: 'b' })]);
  await t.rejects(b.save(dir), { code: 'ERR_KINDLING_INVALID_ARG', message: `PipelineModel.save: path ${dir} already exists. To overwrite it, use write().overwrite().save(path)` });
  t.equal((await PipelineModel.load(dir)).uid, a.uid);
  await b.write().overwrite().save(dir);
  const back = await PipelineModel.load(dir);
  t.equal(back.uid, b.uid);
  t.same(readdirSync(join(dir, 'stages')), [`0_${b.stages[0]!.uid}`], 'the old stages are gone (Spark deletes the directory)');
  t.same(readdirSync(tmp).filter((n) => n.includes('.kindling-')), [], 'no temporary or aside directory left behind');
});

t.test('atomic: a failing stage save leaves the old directory intact and nothing behind', async (t) => {
  const dir = join(tmp, 'atomic');
  const good = new PipelineModel([new Scale({ inputCol: 'x', outputCol: 'a' }), new Scale({ inputCol: 'a', outputCol: 'b' })]);
  await good.save(dir);
  const before = tree(dir).map((p) => [p, p.endsWith('/') ? '' : readFileSync(join(dir, p), 'utf8')]);
  const bad = new PipelineModel([new Scale({ inputCol: 'x', outputCol: 'z' }), new Exploding()]);
  await t.rejects(bad.write().overwrite().save(dir), { name: 'TypeError', message: 'disk on fire' });
  t.same(tree(dir).map((p) => [p, p.endsWith('/') ? '' : readFileSync(join(dir, p), 'utf8')]), before, 'every file as it was');
  t.same(readdirSync(tmp).filter((n) => n.includes('.kindling-')), []);
  await t.rejects(bad.save(join(tmp, 'atomic-new')), /disk on fire/);
  t.equal(existsSync(join(tmp, 'atomic-new')), false, 'a failed first save leaves no directory');
});

t.test('a save killed after any commit step: load sees the old or the new model and recovers; the next save cleans up', async (t) => {
  for (const step of COMMIT_STEPS) {
    const parent = join(tmp, `killed-${step}`);
    const dir = join(parent, 'model');
    const a = new PipelineModel([new Scale({ inputCol: 'x', outputCol: 'a' })]);
    await a.save(dir);
    const b = new PipelineModel([new Scale({ inputCol: 'x', outputCol: 'b' })]);
    commitHooks.crashAfter = step;
    const crash = await b.write().overwrite().save(dir).then(() => null, (e: unknown) => e);
    commitHooks.crashAfter = null;
    if (step === 'merged') {
      t.equal(crash, null, 'merged: not a step of an overwrite');
      continue;
    }
    t.type(crash, SimulatedCrash, `${step}: the save was killed`);
    const journaled = COMMIT_STEPS.indexOf(step) >= COMMIT_STEPS.indexOf('journaled');
    const back = await PipelineModel.load(dir);
    t.equal(back.uid, journaled ? b.uid : a.uid, `${step}: load sees the ${journaled ? 'new' : 'old'} model`);
    t.same(readdirSync(join(dir, 'stages')), [`0_${(journaled ? b : a).stages[0]!.uid}`], `${step}: exactly that model's stages`);
    t.notOk(existsSync(join(parent, '.model.kindling-journal')), `${step}: load finished the commit`);
    commitHooks.graceMs = 0;
    await new PipelineModel([new Scale({ inputCol: 'x', outputCol: 'c' })]).save(join(parent, 'other'));
    commitHooks.graceMs = STALE_GRACE_MS;
    t.same(readdirSync(parent).filter((n) => n.includes('.kindling-')), [], `${step}: the next save in the directory removed the killed save's temporaries`);
  }
});

t.test('non-persistable stages are refused before anything is written', async (t) => {
  const u = new Unsaved();
  const pipe = new Pipeline({ stages: [new Scale({ inputCol: 'x' }), u] });
  const dir = join(tmp, 'unsaved');
  await t.rejects(pipe.save(dir), {
    code: 'ERR_KINDLING_INVALID_ARG',
    message: `Pipeline.save: stage 1 of ${pipe.uid} (${u.uid}, class Unsaved) is not persistable: register its class with register(sparkClassName, Unsaved) from kindling/ml`,
  });
  t.equal(existsSync(dir), false);
  t.same(readdirSync(tmp).filter((n) => n.includes('.kindling-')), []);
  await t.rejects(new MLWriter(u).save(dir), /Unsaved\.save: stage \(Unsaved_[0-9a-f]{12}, class Unsaved\) is not persistable/);
});

t.test('loading the wrong class, a missing path and broken metadata fail clearly', async (t) => {
  const pdir = join(tmp, 'wrong');
  await new Pipeline({ stages: [new Scale({ inputCol: 'x' })] }).save(pdir);
  await t.rejects(PipelineModel.load(pdir), { code: 'ERR_KINDLING_LOAD', message: `PipelineModel.load: expected a saved org.apache.spark.ml.PipelineModel at ${pdir}, found class org.apache.spark.ml.Pipeline (in ${pdir}/metadata/part-00000)` });
  await t.rejects(CenterModel.load(join(FIXTURES, 'kmeans-k100-3.3.1')), /CenterModel\.load: expected a saved org\.kindling\.test\.CenterModel at .*, found class org\.apache\.spark\.ml\.clustering\.KMeansModel/);
  await t.rejects(Pipeline.load(join(tmp, 'nothing-here')), { code: 'ERR_KINDLING_LOAD', message: `Pipeline.load: no saved stage at ${join(tmp, 'nothing-here')} (${join(tmp, 'nothing-here', 'metadata')} does not exist)` });
  const broken = join(tmp, 'broken');
  cpSync(pdir, broken, { recursive: true });
  writeFileSync(join(broken, 'metadata/part-00000'), '{"class":"org.apache.spark.ml.Pipeline","uid":');
  await t.rejects(Pipeline.load(broken), /Pipeline\.load: .*metadata\/part-00000 is not valid JSON: parseSparkJson: unexpected end of input/);
  writeFileSync(join(broken, 'metadata/part-00000'), '{"class":"org.apache.spark.ml.Pipeline","timestamp":1,"sparkVersion":"3.5.1","uid":"p","paramMap":{"stageUids":["nope"]},"defaultParamMap":{}}\n');
  await t.rejects(Pipeline.load(broken), /Pipeline\.load: no saved stage at .*stages\/0_nope/);
  writeFileSync(join(broken, 'metadata/part-00000'), '{"class":"org.apache.spark.ml.Pipeline","timestamp":1,"sparkVersion":"3.5.1","uid":"p","paramMap":{"stageUids":"x"}}\n');
  await t.rejects(Pipeline.load(broken), /Pipeline\.load: expected an array of stage uids for paramMap\.stageUids/);
  writeFileSync(join(broken, 'metadata/part-00000'), '{"class":"org.apache.spark.ml.Pipeline","timestamp":1,"uid":"p","paramMap":{}}\n');
  await t.rejects(Pipeline.load(broken), /Pipeline\.load: expected a version string for "sparkVersion" in .*, got undefined/);
});

t.test('param values that fail validation on load name the param; unknown params are skipped', async (t) => {
  const dir = join(tmp, 'badparam');
  const s = new Scale({ inputCol: 'x', power: 2 });
  await new MLWriter(s).save(dir);
  const line = readFileSync(join(dir, 'metadata/part-00000'), 'utf8');
  writeFileSync(join(dir, 'metadata/part-00000'), line.replace('"power":2', '"power":2.5').replace('"paramMap":{', '"paramMap":{"fromTheFuture":1,'));
  await t.rejects(loadAs(Scale, dir), { code: 'ERR_KINDLING_LOAD', message: `Scale.load: cannot set param power of ${s.uid} from ${dir}: expected integer >= 0, got 2.5 (number)` });
  writeFileSync(join(dir, 'metadata/part-00000'), line.replace('"paramMap":{', '"paramMap":{"fromTheFuture":1,').replace('"factor":1.0', '"factor":"Inf"'));
  const back = await loadAs(Scale, dir);
  t.equal(back.getOrDefault('power'), 2);
  t.equal(back.getDefault(back.factor), Infinity, 'Spark\'s "Inf" encoding decodes to a number');
  const md = await readMetadata(dir);
  t.same(getAndSetParams(new Scale(undefined, md.uid), md).skipped, ['fromTheFuture']);
});

t.test('JSON encodings: NaN / Infinity as Spark strings, typed arrays, values that are not JSON', async (t) => {
  const s = new Scale({ inputCol: 'x', factor: NaN, weights: [Infinity, -Infinity, 3] });
  const enc = encodeParams(s);
  t.equal(toSparkJson(enc.paramMap), '{"factor":"NaN","inputCol":"x","weights":["Inf","-Inf",3.0]}');
  const dir = join(tmp, 'nan');
  await new MLWriter(s).save(dir);
  const back = await loadAs(Scale, dir);
  t.ok(Number.isNaN(back.getOrDefault(back.factor)));
  t.same(back.getOrDefault(back.weights), [Infinity, -Infinity, 3]);
  const weird = new Scale({ inputCol: 'x' });
  weird.set(weird.anything, [{}]);
  t.throws(() => encodeParams(weird), /save: expected a value that can be saved as JSON \(numbers, strings, booleans, arrays of them\) for param anything of Scale_[0-9a-f]{12}, got Array\(1\) \(object\)/);
  weird.set(weird.anything, new Scale());
  await t.rejects(new MLWriter(weird).save(join(tmp, 'weird')), /Scale\.save: expected a value that can be saved as JSON .* for param anything of Scale_[0-9a-f]{12}, got Scale \(object\)/);
  t.equal(existsSync(join(tmp, 'weird')), false);
  weird.set(weird.anything, [1, 2]);
  t.match(toSparkJson(encodeParams(weird).paramMap), '"anything":[1.0,2.0]', 'without a validator a number is written as a double');
});

t.test('model data: Parquet with Spark row metadata, read back; Spark-written data reads', async (t) => {
  const dir = join(tmp, 'data');
  await writeData(dir, new arrow.Table({ mean: arrow.makeVector(new Float64Array([1.5])), n: arrow.makeVector(new Int32Array([3])) }));
  const files = readdirSync(join(dir, 'data')).sort();
  t.equal(files.length, 2);
  t.equal(files[0], '_SUCCESS');
  t.match(files[1], /^part-00000-[0-9a-f-]{36}-c000\.snappy\.parquet$/);
  const buf = readFileSync(join(dir, 'data', files[1]!));
  const meta = parquetMetadata(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const kv = Object.fromEntries((meta.key_value_metadata ?? []).map((e) => [e.key, e.value]));
  t.equal(kv['org.apache.spark.version'], '3.5.1');
  t.same(JSON.parse(kv['org.apache.spark.sql.parquet.row.metadata']!), {
    type: 'struct',
    fields: [
      { name: 'mean', type: 'double', nullable: false, metadata: {} },
      { name: 'n', type: 'integer', nullable: false, metadata: {} },
    ],
  });
  const back = await readData(dir);
  t.same(back.toArray().map((r) => r.toJSON()), [{ mean: 1.5, n: 3 }]);
  const si = await readData(join(FIXTURES, 'stringindexer-3.5.3'));
  t.same(si.schema.fields.map((f) => f.name), ['labelsArray']);
  t.equal(si.numRows, 1);
  await t.rejects(readData(join(FIXTURES, 'apache-spark-ml-models-metadata-only/kmeans-3.0.3')), /readData: the saved model at .* has no data\/ directory/);
});

t.test('registry: names and classes bind once; aliases; MLReader needs a registered class', async (t) => {
  t.equal(sparkClassOf(new Pipeline()), 'org.apache.spark.ml.Pipeline');
  t.equal(registeredClass('pyspark.ml.pipeline.PipelineModel'), PipelineModel);
  t.equal(sparkClassOf(new Unsaved()), undefined);
  register('org.kindling.test.Scale', Scale); // same pair again: fine
  t.throws(() => register('org.kindling.test.Scale', Unsaved), /register: expected a class name not registered yet \(org\.kindling\.test\.Scale is registered to Scale\) for sparkClass/);
  t.throws(() => register('org.kindling.test.Other', Scale), /register: expected a class not registered yet \(Scale is registered as org\.kindling\.test\.Scale\) for ctor/);
  t.throws(() => register('not a name', Unsaved), /register: expected a fully qualified class name/);
  t.throws(() => register('a.B', class {} as never), /register: expected a class extending Params for ctor/);
  t.throws(() => loadAs(Unsaved, tmp), /MLReader: expected a class registered with register\(\) for ctor/);

  // a PySpark-written PipelineModel class name reads as PipelineModel
  const dir = join(tmp, 'pyspark');
  await new PipelineModel([new Scale({ inputCol: 'x' })]).save(dir);
  const f = join(dir, 'metadata/part-00000');
  writeFileSync(f, readFileSync(f, 'utf8').replace('org.apache.spark.ml.PipelineModel', 'pyspark.ml.pipeline.PipelineModel').replace('"stageUids"', '"language":"Python","stageUids"'));
  t.equal((await PipelineModel.load(dir)).stages.length, 1);
});
