/**
 * Spark's string transformers of ml.feature: Tokenizer, RegexTokenizer, StopWordsRemover and
 * NGram (params in text-params.table.ts, the per-document functions in text-tokens.ts, the map
 * tasks in text-tasks.ts). Each persists as Spark's DefaultParamsWriter does (metadata only),
 * under its Spark class name, so Spark-saved stages load and kindling-saved ones load in Spark.
 * Output columns default to `<uid>__output`; an existing output column is refused.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../../src/errors.js';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { MLWritable } from '../../ml-writable.js';
import { register } from '../../persist.js';
import { Transformer } from '../../stage.js';
import {
  NGramParamsMixin,
  RegexTokenizerParamsMixin,
  StopWordsRemoverParamsMixin,
  TokenizerParamsMixin,
  type NGramParamsOptions,
  type RegexTokenizerParamsOptions,
  type StopWordsRemoverParamsOptions,
  type TokenizerParamsOptions,
} from './text-params.js';
import { checkNewColumn, checkStringArrayCol, checkStringCol, stringArrayType, withField } from './text-columns.js';
import { ngramTransform, regexTokenizerTransform, stopWordsTransform, tokenizerTransform, type NGramBroadcast, type RegexTokenizerBroadcast, type StopWordsBroadcast } from './text-tasks.js';
import { STOP_WORDS_LANGUAGES, stopWordsOf, type StopWordsLanguage } from './stop-words.js';
import { javaRegex } from './text-tokens.js';

/** Schema of a string → array<string> stage. */
function tokensSchema(api: string, schema: arrow.Schema, outputCol: string, containsNull = true): arrow.Schema {
  checkNewColumn(api, schema, outputCol);
  return withField(schema, outputCol, stringArrayType(containsNull));
}

/** Spark's Tokenizer: lower-cases the text and splits it on whitespace (`\s`). */
export class Tokenizer extends MLWritable(TokenizerParamsMixin(Transformer)) {
  constructor(options?: TokenizerParamsOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    checkStringCol(this.stageName, schema, 'inputCol', this.getInputCol());
    return tokensSchema(this.stageName, schema, this.getOutputCol());
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const b = { api: `${this.stageName}.transform`, inputCol: this.getInputCol(), outputCol: this.getOutputCol() };
    return df.mapInArrow(tokenizerTransform, this.transformSchema(df.schema), b);
  }
}

/** Spark's RegexTokenizer: splits on the pattern (gaps) or keeps its matches, then drops short tokens. */
export class RegexTokenizer extends MLWritable(RegexTokenizerParamsMixin(Transformer)) {
  constructor(options?: RegexTokenizerParamsOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    checkStringCol(this.stageName, schema, 'inputCol', this.getInputCol());
    javaRegex(this.stageName, this.getPattern());
    return tokensSchema(this.stageName, schema, this.getOutputCol());
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const re = javaRegex(this.stageName, this.getPattern());
    const b: RegexTokenizerBroadcast = {
      api: `${this.stageName}.transform`,
      inputCol: this.getInputCol(),
      outputCol: this.getOutputCol(),
      source: re.source,
      flags: re.flags,
      gaps: this.getGaps(),
      minTokenLength: this.getMinTokenLength(),
      toLowercase: this.getToLowercase(),
    };
    return df.mapInArrow(regexTokenizerTransform, this.transformSchema(df.schema), b);
  }
}

/** Spark's StopWordsRemover: filters stop words out of token lists (one column, or several). */
export class StopWordsRemover extends MLWritable(StopWordsRemoverParamsMixin(Transformer)) {
  constructor(options?: StopWordsRemoverParamsOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  /** Spark's StopWordsRemover.loadDefaultStopWords(language): danish, dutch, english, finnish, french, german, hungarian, italian, norwegian, portuguese, russian, spanish, swedish or turkish. */
  static loadDefaultStopWords(language: string): string[] {
    if (!(STOP_WORDS_LANGUAGES as string[]).includes(language)) throw Errors.invalidArg('StopWordsRemover.loadDefaultStopWords', 'language', `one of ${STOP_WORDS_LANGUAGES.join(', ')}`, language);
    return stopWordsOf(language as StopWordsLanguage);
  }

  /** The (input, output) column pairs: Spark's checkSingleVsMultiColumnParams. */
  private columns(): { inputCols: string[]; outputCols: string[] } {
    const api = this.stageName;
    const single = this.isSet(this.inputCol);
    const multi = this.isSet(this.inputCols);
    if (single && multi) throw Errors.schema(`${api}: requires exactly one of inputCol, inputCols Params to be set, but both are set.`);
    if (multi) {
      if (this.isSet(this.outputCol)) throw Errors.schema(`${api}: inputCols is set, so outputCol must not be set (set outputCols).`);
      if (!this.isSet(this.outputCols)) throw Errors.schema(`${api}: inputCols is set, so outputCols must be set too.`);
      const inputCols = this.getInputCols();
      const outputCols = this.getOutputCols();
      if (inputCols.length !== outputCols.length) throw Errors.schema(`${api}: inputCols has ${inputCols.length} columns, outputCols has ${outputCols.length}: the two must have the same length.`);
      return { inputCols, outputCols };
    }
    if (this.isSet(this.outputCols)) throw Errors.schema(`${api}: outputCols is set, so inputCols must be set (not inputCol).`);
    return { inputCols: [this.getInputCol()], outputCols: [this.getOutputCol()] };
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    const api = this.stageName;
    const { inputCols, outputCols } = this.columns();
    let out = schema;
    inputCols.forEach((c, j) => {
      const index = checkStringArrayCol(api, schema, j === 0 && !this.isSet(this.inputCols) ? 'inputCol' : 'inputCols', c);
      checkNewColumn(api, out, outputCols[j]!);
      const el = (schema.fields[index]!.type as arrow.List).children[0]!;
      out = withField(out, outputCols[j]!, stringArrayType(el.nullable));
    });
    return out;
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const b: StopWordsBroadcast = {
      api: `${this.stageName}.transform`,
      ...this.columns(),
      stopWords: this.getStopWords(),
      caseSensitive: this.getCaseSensitive(),
      locale: this.getLocale(),
    };
    return df.mapInArrow(stopWordsTransform, this.transformSchema(df.schema), b);
  }
}

/** Spark's NGram: the n-grams of a token list, each n consecutive tokens joined by a space. */
export class NGram extends MLWritable(NGramParamsMixin(Transformer)) {
  constructor(options?: NGramParamsOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    checkStringArrayCol(this.stageName, schema, 'inputCol', this.getInputCol());
    return tokensSchema(this.stageName, schema, this.getOutputCol(), false);
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const b: NGramBroadcast = { api: `${this.stageName}.transform`, inputCol: this.getInputCol(), outputCol: this.getOutputCol(), n: this.getN() };
    return df.mapInArrow(ngramTransform, this.transformSchema(df.schema), b);
  }
}

register('org.apache.spark.ml.feature.Tokenizer', Tokenizer);
register('org.apache.spark.ml.feature.RegexTokenizer', RegexTokenizer);
register('org.apache.spark.ml.feature.StopWordsRemover', StopWordsRemover);
register('org.apache.spark.ml.feature.NGram', NGram);
