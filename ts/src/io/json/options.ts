/**
 * The JSON data source's options, as Spark 3.5's JSONOptions reads them: the public option types
 * of jsonSource and writeJsonPart, the read-option table and the resolved reader configuration
 * with Spark's defaults. Validation itself is text-common/options.ts.
 * Follows shared/ARCHITECTURE.md (Interoperability: Spark's read options and modes).
 */
import { normalizeOptions, optionGetters, type Flag, type OptionKind, type ParseMode } from '../text-common/options.js';

export interface JsonOptions {
  mode?: ParseMode | string;
  columnNameOfCorruptRecord?: string;
  primitivesAsString?: Flag;
  samplingRatio?: number | string;
  dateFormat?: string;
  timestampFormat?: string;
  /** Each file is one JSON document (an object, or an array of objects). */
  multiLine?: Flag;
  encoding?: string;
  lineSep?: string;
  dropFieldIfAllNull?: Flag;
  allowSingleQuotes?: Flag;
  allowNonNumericNumbers?: Flag;
  /** Only UTC is supported. */
  timeZone?: string;
  /** @internal Bytes per read. */
  _chunkSize?: number;
}

export interface JsonWriteOptions {
  dateFormat?: string;
  timestampFormat?: string;
  ignoreNullFields?: Flag;
  lineSep?: string;
  encoding?: string;
  compression?: string;
  /** Only UTC is supported. */
  timeZone?: string;
}

const JSON_READ_SPEC: Record<string, OptionKind> = {
  mode: 'mode', columnNameOfCorruptRecord: 'string', primitivesAsString: 'bool', samplingRatio: 'ratio',
  dateFormat: 'format', timestampFormat: 'format', multiLine: 'bool', encoding: 'encoding', lineSep: 'lineSep',
  dropFieldIfAllNull: 'bool', allowSingleQuotes: 'bool', allowNonNumericNumbers: 'bool', timeZone: 'timeZone', _chunkSize: 'size',
};

export interface JsonConfig {
  mode: ParseMode;
  corruptName: string;
  primitivesAsString: boolean;
  samplingRatio: number;
  dateFormat: string | undefined;
  timestampFormat: string | undefined;
  multiLine: boolean;
  lineSep: string | undefined;
  dropFieldIfAllNull: boolean;
  singleQuotes: boolean;
  nonNumeric: boolean;
  chunkSize: number;
}

/** @internal The reader configuration of one jsonSource call (options validated, Spark's defaults filled in). */
export function jsonConfig(options: unknown): JsonConfig {
  const o = normalizeOptions('json', options, JSON_READ_SPEC, { charset: 'encoding' });
  const { bool } = optionGetters(o);
  return {
    mode: (o.get('mode') as ParseMode | undefined) ?? 'PERMISSIVE',
    corruptName: o.has('columnNameOfCorruptRecord') ? (o.get('columnNameOfCorruptRecord') as string) : '_corrupt_record',
    primitivesAsString: bool('primitivesAsString', false),
    samplingRatio: o.has('samplingRatio') ? (o.get('samplingRatio') as number) : 1,
    dateFormat: o.get('dateFormat') as string | undefined,
    timestampFormat: o.get('timestampFormat') as string | undefined,
    multiLine: bool('multiLine', false),
    lineSep: o.get('lineSep') as string | undefined,
    dropFieldIfAllNull: bool('dropFieldIfAllNull', false),
    singleQuotes: bool('allowSingleQuotes', true),
    nonNumeric: bool('allowNonNumericNumbers', true),
    chunkSize: o.has('_chunkSize') ? (o.get('_chunkSize') as number) : 4 << 20,
  };
}
