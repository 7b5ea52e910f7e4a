/**
 * Word2Vec (Spark's ml.feature.Word2Vec over mllib.feature.Word2Vec): skip-gram with
 * hierarchical softmax over a Huffman tree of the vocabulary.
 *
 *   - fit: the vocabulary is a partition summary (words with count >= minCount, by descending
 *     count, ties by word; none left is Spark's error); documents become index sentences cut at
 *     maxSentenceLength; they are split into numPartitions contiguous training partitions, kept
 *     on the executors for the whole fit, each trained by a task from the same broadcast vectors (the native kernel,
 *     ts/src/kernels/word2vec.ts), and the driver averages each changed row over the partitions
 *     that changed it (Spark's reduceByKey + scal), once per iteration (maxIter).
 *     Random numbers are seeded streams (lda-math.ts's Rng seeds each partition's xorshift32), not the JVM's: vectors are deterministic per seed
 *     but never equal Spark's; with numPartitions 1 they do not depend on the DataFrame's
 *     partitioning (local = local[N]).
 *   - Word2VecModel: `getVectors()` (word, vector) in vocabulary order; `findSynonyms(word |
 *     vector, num)` (word, similarity) by cosine similarity in float as Spark (a word excludes
 *     itself), `findSynonymsArray`; transform appends the mean of the document's word vectors
 *     (sum of known words / number of words; an empty document → SparseVector of zeros).
 *   - persistence: Spark 3's layout, data/ rows (word: string, vector: array<float>).
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../../src/errors.js';
import { fromValues, makeBatch, type AnyData } from '../../../src/dataframe/batch.js';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { Types } from '../../../src/dataframe/types.js';
import { Session } from '../../../src/session.js';
import { expTable, huffmanTree } from '../../../src/kernels/word2vec.js';
import { columnField } from '../../data/schema-checks.js';
import { frequentItems } from '../../fpm/items.js';
import { denseVectorColumn } from '../../linalg/columns.js';
import { isVector, type Vector } from '../../linalg/vectors.js';
import { MLWritable } from '../../ml-writable.js';
import { getAndSetParams, readData, register, writeData, writeMetadata } from '../../persist.js';
import { Estimator, Model, type FitOptions } from '../../stage.js';
import { Word2VecParamsMixin, type Word2VecParamsOptions } from './word2vec-params.js';
import { averageInto, initialVectors, w2vEncode, w2vKeep, w2vTrain, w2vTransform, w2vVocab, type Sentences, type TrainBroadcast } from './word2vec-tasks.js';

export type Word2VecOptions = Word2VecParamsOptions;

function checkSchema(api: string, schema: arrow.Schema, inputCol: string, outputCol: string): arrow.Schema {
  const { field } = columnField(api, schema, inputCol);
  const t = field.type;
  if (!(arrow.DataType.isList(t) && arrow.DataType.isUtf8(t.children[0]!.type))) {
    throw Errors.schema(`${api}: column ${inputCol} (inputCol) must be of type array<string>, but is ${String(t)}`);
  }
  if (schema.fields.some((f) => f.name.toLowerCase() === outputCol.toLowerCase())) throw Errors.schema(`${api}: Output column ${outputCol} already exists.`);
  return new arrow.Schema([...schema.fields, new arrow.Field(outputCol, Types.vectorStruct(), true)]);
}

/** The sentences of all partitions, in order, split into `parts` contiguous groups of sentences. */
function splitSentences(parts: Sentences[], groups: number): Sentences[] {
  const words: number[] = [];
  const lens: number[] = [];
  for (const p of parts) {
    for (let s = 0; s + 1 < p.sentOff.length; s++) lens.push(p.sentOff[s + 1]! - p.sentOff[s]!);
    for (const w of p.words) words.push(w);
  }
  const out: Sentences[] = [];
  let at = 0;
  for (let g = 0; g < groups; g++) {
    const from = Math.floor((g * lens.length) / groups);
    const to = Math.floor(((g + 1) * lens.length) / groups);
    const sentOff = new Int32Array(to - from + 1);
    for (let s = from; s < to; s++) sentOff[s - from + 1] = sentOff[s - from]! + lens[s]!;
    out.push({ words: Int32Array.from(words.slice(at, at + sentOff[to - from]!)), sentOff });
    at += sentOff[to - from]!;
  }
  return out;
}

export class Word2Vec extends MLWritable(Word2VecParamsMixin(Estimator<Word2VecModel>)) {
  constructor(options?: Word2VecOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return checkSchema(this.stageName, schema, this.getInputCol(), this.getOutputCol());
  }

  protected async fitImpl(df: DataFrame, _options: FitOptions): Promise<Word2VecModel> {
    const api = `${this.stageName}.fit`;
    const session = df.session;
    const inputCol = this.getInputCol();
    const d = this.getVectorSize();
    const counts = await session.treeAggregate(w2vVocab, df, { api, inputCol });
    const { items, counts: freq } = frequentItems(counts, this.getMinCount());
    const vocab = items as string[];
    if (vocab.length === 0) {
      throw Errors.schema(`${api}: The vocabulary size should be > 0. You may need to check the setting of minCount (${this.getMinCount()}), which could be large enough to remove all your words in sentences.`);
    }
    if (vocab.length * d >= 2147483647) throw Errors.outOfRange(api, 'vectorSize * vocabulary size', 'below 2147483647 (Spark: "Please increase minCount or decrease vectorSize")', vocab.length * d);
    const trainWords = freq.reduce((a, b) => a + b, 0);
    const parts = await session.runTasks(w2vEncode, df, { api, inputCol, vocab, maxSentenceLength: this.getMaxSentenceLength() });
    const numPartitions = this.getNumPartitions();
    const groups = splitSentences(parts, numPartitions);
    const seed = this.getSeed();
    const syn0 = initialVectors(vocab.length, d, seed);
    const syn1 = new Float32Array(vocab.length * d);
    const maxIter = this.getMaxIter();
    const base = { tree: huffmanTree(freq), d, expTable: expTable(), window: this.getWindowSize(), seed, learningRate: this.getStepSize(), numPartitions, totalWords: maxIter * trainWords + 1 };
    const blocks = await session.keepTasks<Sentences, null, null>(w2vKeep, groups, null);
    try {
      for (let k = 1; k <= maxIter; k++) {
        const b: TrainBroadcast = { ...base, syn0, syn1, iter: k, wordsBefore: (k - 1) * trainWords };
        const s = await session.treeAggregate(w2vTrain, blocks, b);
        averageInto(syn0, s.sum0, s.cnt0, d);
        averageInto(syn1, s.sum1, s.cnt1, d);
      }
    } finally {
      blocks.release();
    }
    const model = new Word2VecModel({ words: vocab, vectors: syn0 }, this.uid);
    this.copyValues(model);
    return model;
  }
}

/** One synonym: a word and its cosine similarity. */
export type Synonym = [word: string, similarity: number];

export class Word2VecModel extends MLWritable(Word2VecParamsMixin(Model)) {
  /** The vocabulary, in the order of `vectors`' rows. */
  words: string[];
  /** words.length x vectorSize, row-major (float, as Spark keeps them). */
  vectors: Float32Array;
  private index: Map<string, number> | null = null;

  constructor(state?: { words: string[]; vectors: Float32Array } & Word2VecOptions, uid?: string) {
    super(uid);
    this.words = state?.words ?? [];
    this.vectors = state?.vectors ?? new Float32Array(0);
    if (state) {
      const { words: _w, vectors: _v, ...opts } = state;
      this.setParams(opts as Record<string, unknown>);
      if (this.words.length > 0) this.setVectorSize(this.vectors.length / this.words.length);
    }
  }

  override copy(extra?: Parameters<Model['copy']>[0]): this {
    const that = super.copy(extra);
    that.words = this.words;
    that.vectors = this.vectors;
    that.parent = this.parent;
    return that;
  }

  private wordIndex(): Map<string, number> {
    if (!this.index) this.index = new Map(this.words.map((w, i) => [w, i]));
    return this.index;
  }

  private get d(): number {
    return this.words.length === 0 ? this.getVectorSize() : this.vectors.length / this.words.length;
  }

  private activeSession(api: string): Session {
    const session = Session.active;
    if (session === null) throw Errors.invalidArg(api, 'session', 'an active Session (Session.builder().getOrCreate())', null);
    return session;
  }

  /** Spark's getVectors: a DataFrame of (word: string, vector: vector). */
  getVectors(): DataFrame {
    const session = this.activeSession(`${this.stageName}.getVectors`);
    const d = this.d;
    const word = fromValues(new arrow.Utf8(), this.words);
    const vector = denseVectorColumn(Float64Array.from(this.vectors), d);
    const schema = new arrow.Schema([new arrow.Field('word', word.type, true), new arrow.Field('vector', vector.type, true)]);
    return session.createDataFrame(new arrow.Table(schema, [makeBatch(schema, [word, vector], this.words.length)]));
  }

  /**
   * Spark's findSynonymsArray: the `num` words most cosine-similar to `query` (a word — which is
   * then left out — or a vector), computed in float as Spark's mllib model: the query normalised,
   * dot products divided by each word's norm (0 for a zero vector), best first.
   */
  findSynonymsArray(query: string | Vector | ArrayLike<number>, num: number): Synonym[] {
    const api = `${this.stageName}.findSynonyms`;
    if (!Number.isInteger(num) || num <= 0) throw Errors.outOfRange(api, 'num', 'an integer > 0 (Number of similar words should > 0)', num);
    const d = this.d;
    let q: Float32Array;
    let exclude: string | null = null;
    if (typeof query === 'string') {
      const i = this.wordIndex().get(query);
      if (i === undefined) throw Errors.notFound(api, `word ${JSON.stringify(query)}: ${query} not in vocabulary`);
      q = this.vectors.slice(i * d, (i + 1) * d);
      exclude = query;
    } else {
      const arr = isVector(query) ? query.toArray() : query;
      if (arr.length !== d) throw Errors.outOfRange(api, 'vector size', `${d} (the model's vectorSize)`, arr.length);
      q = Float32Array.from(arr);
    }
    const f = Math.fround;
    let nq = 0;
    for (const x of q) nq = f(nq + f(x * x));
    nq = f(Math.sqrt(nq));
    if (nq !== 0) for (let e = 0; e < d; e++) q[e] = f(q[e]! * f(1 / nq));
    const scored: Synonym[] = this.words.map((w, i) => {
      let dot = 0;
      let nw = 0;
      for (let e = 0; e < d; e++) {
        const x = this.vectors[i * d + e]!;
        dot = f(dot + f(x * q[e]!));
        nw = f(nw + f(x * x));
      }
      nw = f(Math.sqrt(nw));
      return [w, nw === 0 ? 0 : f(dot / nw)];
    });
    scored.sort((a, b) => b[1] - a[1]);
    const top = scored.slice(0, num + 1).filter(([w]) => w !== exclude);
    return top.slice(0, num);
  }

  /** Spark's findSynonyms: a DataFrame of (word: string, similarity: double). */
  findSynonyms(query: string | Vector | ArrayLike<number>, num: number): DataFrame {
    const rows = this.findSynonymsArray(query, num);
    const session = this.activeSession(`${this.stageName}.findSynonyms`);
    return session.createDataFrame(rows.map(([word, similarity]) => ({ word, similarity })), 'word string, similarity double');
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return checkSchema(this.stageName, schema, this.getInputCol(), this.getOutputCol());
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const api = `${this.stageName}.transform`;
    const outCol = this.getOutputCol();
    const schema = this.transformSchema(df.schema);
    return df.mapInArrow(w2vTransform, schema, { api, inputCol: this.getInputCol(), outputCol: outCol, words: this.words, vectors: this.vectors, d: this.d });
  }

  override toString(): string {
    return `Word2VecModel: uid=${this.uid}, numWords=${this.words.length}, vectorSize=${this.d}`;
  }
}

register('org.apache.spark.ml.feature.Word2Vec', Word2Vec);
register('org.apache.spark.ml.feature.Word2VecModel', Word2VecModel, {
  async save(model, path, ctx) {
    await writeMetadata(model, path, ctx);
    const d = model.vectors.length / Math.max(model.words.length, 1);
    const word = fromValues(new arrow.Utf8(), model.words);
    const vecType = new arrow.List(new arrow.Field('element', new arrow.Float32(), false));
    const rows = model.words.map((_, i) => Array.from(model.vectors.subarray(i * d, (i + 1) * d)));
    const vector = fromValues(vecType, rows) as AnyData;
    const schema = new arrow.Schema([new arrow.Field('word', word.type, true), new arrow.Field('vector', vecType, true)]);
    await writeData(path, { schema, batches: [makeBatch(schema, [word, vector], model.words.length)] });
  },
  async load(path, metadata, ctx) {
    const table = await readData(path, 'data', ctx.api);
    const names = table.schema.fields.map((f) => f.name);
    if (!names.includes('word') || !names.includes('vector')) {
      throw Errors.load(`${ctx.api}: the data/ of the Word2VecModel at ${path} must hold columns word and vector (Spark 2.2+ layout), found ${names.join(', ')}`);
    }
    const words: string[] = [];
    const vecs: number[][] = [];
    for (const row of table.toArray() as Array<{ word: string | null; vector: ArrayLike<number> | null }>) {
      if (row.word === null || row.vector === null) throw Errors.load(`${ctx.api}: the Word2VecModel at ${path} has a null word or vector`);
      words.push(row.word);
      vecs.push(Array.from(row.vector));
    }
    const d = vecs[0]?.length ?? 0;
    if (vecs.some((v) => v.length !== d)) throw Errors.load(`${ctx.api}: the Word2VecModel at ${path} has vectors of different sizes`);
    const vectors = new Float32Array(words.length * d);
    vecs.forEach((v, i) => vectors.set(v, i * d));
    const model = new Word2VecModel({ words, vectors }, metadata.uid);
    getAndSetParams(model, metadata, { api: ctx.api });
    return model;
  },
});
