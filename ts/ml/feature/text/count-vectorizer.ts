/**
 * CountVectorizer / CountVectorizerModel (Spark's ml.feature, CountVectorizer.scala):
 *   - fit: one summary pass of per-term (total count, document count) over the partitions
 *     (count-vectorizer-tasks.ts); minDF / maxDF are document counts when >= 1, else fractions of
 *     the number of documents; the vocabulary is the vocabSize terms of highest total count
 *     (ties: by term, ascending — Spark leaves them unordered);
 *   - transform: each document's vocabulary terms counted into a SparseVector of the vocabulary's
 *     size, with minTF and binary (count-vectorizer-tasks.ts);
 *   - `CountVectorizerModel.fromVocabulary` is PySpark's from_vocabulary (vocabSize = its length);
 *   - persistence: metadata, and data/ with one row `vocabulary: array<string>`, as Spark.
 * A null token list is an error naming the row; an empty DataFrame fits an empty vocabulary
 * (Spark logs a warning).
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../../src/errors.js';
import { makeBatch, valueAt } from '../../../src/dataframe/batch.js';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { Types } from '../../../src/dataframe/types.js';
import { aggregateRows } from '../../data/checked-summary.js';
import { MLWritable } from '../../ml-writable.js';
import { getAndSetParams, readData, register, writeData, writeMetadata } from '../../persist.js';
import { Estimator, Model, type FitOptions } from '../../stage.js';
import { CountVectorizerParamsMixin, type CountVectorizerParamsOptions } from './text-params.js';
import { checkNewColumn, checkStringArrayCol, stringListColumn, withField } from './text-columns.js';
import { countVectorizerTransform, selectVocabulary, termCounts, type CountBroadcast } from './count-vectorizer-tasks.js';

export type CountVectorizerOptions = CountVectorizerParamsOptions;

function schemaOf(api: string, schema: arrow.Schema, inputCol: string, outputCol: string): arrow.Schema {
  checkStringArrayCol(api, schema, 'inputCol', inputCol);
  checkNewColumn(api, schema, outputCol);
  return withField(schema, outputCol, Types.vectorStruct());
}

export class CountVectorizer extends MLWritable(CountVectorizerParamsMixin(Estimator<CountVectorizerModel>)) {
  constructor(options?: CountVectorizerOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return schemaOf(this.stageName, schema, this.getInputCol(), this.getOutputCol());
  }

  protected async fitImpl(df: DataFrame, _options: FitOptions): Promise<CountVectorizerModel> {
    const api = `${this.stageName}.fit`;
    const minDF = this.getMinDF();
    const maxDF = this.getMaxDF();
    if ((minDF >= 1) === (maxDF >= 1) && maxDF < minDF) throw Errors.invalidArg(api, 'maxDF', `a value >= minDF (${minDF}): maxDF must be >= minDF.`, maxDF);
    const inputCol = this.getInputCol();
    const { value, rows } = await aggregateRows(api, df, termCounts, [inputCol], { inputCol });
    const minDf = minDF >= 1 ? minDF : minDF * rows;
    const maxDf = maxDF >= 1 ? maxDF : maxDF * rows;
    if (maxDf < minDf) throw Errors.invalidArg(api, 'maxDF', `a value giving at least minDF's ${minDf} documents: maxDF must be >= minDF.`, maxDF);
    const model = new CountVectorizerModel({ vocabulary: selectVocabulary(value, minDf, maxDf, this.getVocabSize()) }, this.uid);
    this.copyValues(model);
    return model;
  }
}

export class CountVectorizerModel extends MLWritable(CountVectorizerParamsMixin(Model)) {
  vocabulary: string[];

  constructor(state?: { vocabulary: string[] } & CountVectorizerOptions, uid?: string) {
    super(uid);
    this.vocabulary = state?.vocabulary ?? [];
    if (state) {
      const { vocabulary: _v, ...opts } = state;
      this.setParams(opts as Record<string, unknown>);
    }
  }

  /** PySpark's CountVectorizerModel.from_vocabulary: a model over a given vocabulary (vocabSize set to its length). */
  static fromVocabulary(vocabulary: readonly string[], options: Pick<CountVectorizerOptions, 'inputCol' | 'outputCol' | 'minTF' | 'binary'> = {}): CountVectorizerModel {
    const api = 'CountVectorizerModel.fromVocabulary';
    if (!Array.isArray(vocabulary) || !vocabulary.every((w) => typeof w === 'string')) throw Errors.invalidArg(api, 'vocabulary', 'an array of strings', vocabulary);
    if (vocabulary.length === 0) throw Errors.invalidArg(api, 'vocabulary', 'a non-empty array of strings: Vocabulary list cannot be empty', vocabulary);
    return new CountVectorizerModel({ vocabulary: [...vocabulary], vocabSize: vocabulary.length, ...options });
  }

  override copy(extra?: Parameters<Model['copy']>[0]): this {
    const that = super.copy(extra);
    that.vocabulary = this.vocabulary;
    that.parent = this.parent;
    return that;
  }

  override toString(): string {
    return `CountVectorizerModel: uid=${this.uid}, vocabularySize=${this.vocabulary.length}`;
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return schemaOf(this.stageName, schema, this.getInputCol(), this.getOutputCol());
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const b: CountBroadcast = {
      api: `${this.stageName}.transform`,
      inputCol: this.getInputCol(),
      outputCol: this.getOutputCol(),
      vocabulary: this.vocabulary,
      minTF: this.getMinTF(),
      binary: this.getBinary(),
    };
    return df.mapInArrow(countVectorizerTransform, this.transformSchema(df.schema), b);
  }
}

const jsonKinds = { minDF: 'double', maxDF: 'double', minTF: 'double', vocabSize: 'int' } as const;

register('org.apache.spark.ml.feature.CountVectorizer', CountVectorizer, { jsonKinds });
register('org.apache.spark.ml.feature.CountVectorizerModel', CountVectorizerModel, {
  jsonKinds,
  async save(model, path, ctx) {
    await writeMetadata(model, path, ctx);
    const col = stringListColumn([model.vocabulary], false);
    const schema = new arrow.Schema([new arrow.Field('vocabulary', col.type, true)]);
    await writeData(path, { schema, batches: [makeBatch(schema, [col], 1)] });
  },
  async load(path, metadata, ctx) {
    const table = await readData(path, 'data', ctx.api);
    const batch = table.batches.find((b) => b.numRows > 0);
    const idx = batch?.schema.fields.findIndex((f) => f.name === 'vocabulary') ?? -1;
    const vocabulary = batch && idx >= 0 ? valueAt(batch.data.children[idx]!, 0) : null;
    if (!Array.isArray(vocabulary) || !vocabulary.every((w) => typeof w === 'string')) throw Errors.load(`${ctx.api}: the CountVectorizerModel at ${path} has no vocabulary (array<string>) row in data/`);
    const model = new CountVectorizerModel({ vocabulary }, metadata.uid);
    getAndSetParams(model, metadata, { api: ctx.api });
    return model;
  },
});
