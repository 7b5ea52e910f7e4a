/**
 * What LDA and its models share: the options (Spark's LDAParams, docConcentration also as one
 * number), Spark's LDAParams.validateAndTransformSchema, and the two model states — a local
 * model's topics (λ, α, η) and the EM graph DistributedLDAModel keeps.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import { resolveIndex } from '../../src/dataframe/eval.js';
import { isVectorType, sparkTypeName, Types } from '../../src/dataframe/types.js';
import type { Params } from '../param/params.js';
import type { LDAParams, LDAParamsOptions } from './clustering-params.js';

/** Spark's gammaShape for the random initialisation of γ and λ. */
export const GAMMA_SHAPE = 100;

/** Options of LDA and its models: Spark's LDAParams, docConcentration also as one number. */
export interface LDAOptions extends Omit<LDAParamsOptions, 'docConcentration'> {
  /** Concentration parameter (commonly named "alpha") for the prior placed on documents' distributions over topics ("theta"); one number is a symmetric prior. */
  docConcentration?: number | number[];
}

export function normaliseOptions(options: LDAOptions | undefined): Record<string, unknown> | undefined {
  if (options === undefined || options === null || typeof options !== 'object') return options as Record<string, unknown> | undefined;
  const o: Record<string, unknown> = { ...options };
  if (typeof o.docConcentration === 'number') o.docConcentration = [o.docConcentration];
  return o;
}

/** What LDA and its models share: the params, their getters and Spark's validateAndTransformSchema. */
export type LdaParamsHost = Params & LDAParams;

export function optimizerOf(host: LdaParamsHost): 'online' | 'em' {
  return host.getOrDefault(host.optimizer).toLowerCase() as 'online' | 'em';
}

/** The column index of the features, checked as Spark's validateVectorCompatibleColumn. */
export function featuresIndex(api: string, schema: arrow.Schema, name: string): number {
  const index = resolveIndex(api, name, schema);
  const t = schema.fields[index]!.type;
  if (isVectorType(t)) return index;
  if (arrow.DataType.isList(t) && arrow.DataType.isFloat(t.children[0]!.type) && (t.children[0]!.type as arrow.Float).precision !== arrow.Precision.HALF) return index;
  throw Errors.schema(`${api}: Column ${name} must be of type vector or array<double> or array<float> but was actually of type ${sparkTypeName(t)}.`);
}

/** Spark's LDAParams.validateAndTransformSchema. */
export function validateAndTransformSchema(host: LdaParamsHost, api: string, schema: arrow.Schema, outputSize: number | null): arrow.Schema {
  const optimizer = optimizerOf(host);
  if (host.isSet(host.docConcentration)) {
    const dc = host.getOrDefault(host.docConcentration);
    const k = host.getOrDefault(host.k);
    if (dc.length !== 1 && dc.length !== k) {
      throw Errors.invalidArg(api, 'docConcentration', `an array of length either 1 (scalar) or k = ${k} (num topics): LDA docConcentration was of length ${dc.length}, but k = ${k}`, dc);
    }
    if (optimizer === 'em' && !dc.every((x) => x > 1)) {
      throw Errors.invalidArg(api, 'docConcentration', `values > 1.0 for the EM optimizer (found ${dc.join(',')})`, dc);
    }
    if (optimizer === 'em' && !dc.every((x) => x === dc[0])) {
      throw Errors.invalidArg(api, 'docConcentration', `one value repeated (the EM optimizer supports only a symmetric prior; found ${dc.join(',')})`, dc);
    }
  }
  if (host.isSet(host.topicConcentration) && optimizer === 'em') {
    const tc = host.getOrDefault(host.topicConcentration);
    if (!(tc > 1)) throw Errors.invalidArg(api, 'topicConcentration', 'a value > 1.0 for the EM optimizer', tc);
  }
  featuresIndex(api, schema, host.getOrDefault(host.featuresCol));
  const out = host.getOrDefault(host.topicDistributionCol);
  if (out === '') return schema;
  if (schema.fields.some((f) => f.name.toLowerCase() === out.toLowerCase())) throw Errors.schema(`${api}: Column ${out} already exists.`);
  const type = outputSize !== null ? Types.vector(outputSize) : Types.vectorStruct();
  return new arrow.Schema([...schema.fields, new arrow.Field(out, type, true)]);
}

/** What a local model is: λ (k × vocabSize topic-major, i.e. topicsMatrix column-major), α, η, gammaShape. */
export interface LocalLDAState {
  k: number;
  vocabSize: number;
  lambda: Float64Array;
  alpha: Float64Array;
  eta: number;
  gammaShape: number;
}

/** The EM graph: documents with their edges and N_kj, terms' N_wk, N_k. */
export interface EmGraphState {
  k: number;
  vocabSize: number;
  /** Document vertex ids (the row numbers at fit time), one per document with at least one term. */
  docIds: BigInt64Array;
  /** Edges per document (CSR over `docIds`): terms and counts N_wj. */
  indptr: Int32Array;
  terms: Int32Array;
  counts: Float64Array;
  /** N_kj, documents × k row-major. */
  docTopic: Float64Array;
  /** N_wk, vocabSize × k term-major. */
  termTopic: Float64Array;
  /** Whether term w has a vertex (occurs in some document). */
  termPresent: Uint8Array;
  /** N_k. */
  topicTotals: Float64Array;
  /** Symmetric α and η of the fit. */
  alpha: number;
  eta: number;
  gammaShape: number;
  /** Seconds per iteration. */
  iterationTimes: number[];
}
