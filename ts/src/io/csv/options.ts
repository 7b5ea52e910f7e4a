/**
 * The CSV data source's options, as Spark 3.5's CSVOptions reads them: the public option types
 * of csvSource and writeCsvPart, the read-option table (names, aliases, kinds) and the resolved
 * reader configuration with Spark's defaults. Validation itself is text-common/options.ts.
 * Follows shared/ARCHITECTURE.md ("CSV with Spark's read options and modes").
 */
import { Errors } from '../../errors.js';
import { normalizeOptions, optionGetters, type Flag, type OptionKind, type ParseMode } from '../text-common/options.js';
import type { CsvSyntax } from './tokenizer.js';

export interface CsvOptions {
  header?: Flag;
  inferSchema?: Flag;
  sep?: string;
  delimiter?: string;
  quote?: string;
  escape?: string;
  comment?: string;
  nullValue?: string;
  nanValue?: string;
  positiveInf?: string;
  negativeInf?: string;
  emptyValue?: string;
  dateFormat?: string;
  timestampFormat?: string;
  mode?: ParseMode | string;
  columnNameOfCorruptRecord?: string;
  ignoreLeadingWhiteSpace?: Flag;
  ignoreTrailingWhiteSpace?: Flag;
  multiLine?: Flag;
  samplingRatio?: number | string;
  enforceSchema?: Flag;
  encoding?: string;
  charset?: string;
  lineSep?: string;
  preferDate?: Flag;
  maxColumns?: number | string;
  /** Only UTC is supported (Spark's session time zone for parsing zone-less timestamps). */
  timeZone?: string;
  /** @internal Bytes per read (tests use tiny chunks to exercise chunk boundaries). */
  _chunkSize?: number;
}

export interface CsvWriteOptions {
  header?: Flag;
  sep?: string;
  delimiter?: string;
  quote?: string;
  escape?: string;
  nullValue?: string;
  emptyValue?: string;
  quoteAll?: Flag;
  escapeQuotes?: Flag;
  dateFormat?: string;
  timestampFormat?: string;
  ignoreLeadingWhiteSpace?: Flag;
  ignoreTrailingWhiteSpace?: Flag;
  lineSep?: string;
  encoding?: string;
  charset?: string;
  compression?: string;
  codec?: string;
  /** Only UTC is supported. */
  timeZone?: string;
}

const CSV_READ_SPEC: Record<string, OptionKind> = {
  header: 'bool', inferSchema: 'bool', sep: 'sep', quote: 'char', escape: 'char', comment: 'char', nullValue: 'string',
  nanValue: 'string', positiveInf: 'string', negativeInf: 'string', emptyValue: 'string', dateFormat: 'format',
  timestampFormat: 'format', mode: 'mode', columnNameOfCorruptRecord: 'string', ignoreLeadingWhiteSpace: 'bool',
  ignoreTrailingWhiteSpace: 'bool', multiLine: 'bool', samplingRatio: 'ratio', enforceSchema: 'bool', encoding: 'encoding',
  lineSep: 'lineSep', preferDate: 'bool', maxColumns: 'size', timeZone: 'timeZone', _chunkSize: 'size',
};
const CSV_READ_ALIASES = { delimiter: 'sep', charset: 'encoding' };

export interface CsvConfig {
  syn: CsvSyntax;
  header: boolean;
  inferSchema: boolean;
  nullValue: string;
  nullBytes: Uint8Array;
  nanBytes: Uint8Array;
  posInfBytes: Uint8Array;
  negInfBytes: Uint8Array;
  emptyValue: string;
  emptyBytes: Uint8Array;
  dateFormat: string | undefined;
  timestampFormat: string | undefined;
  mode: ParseMode;
  corruptName: string;
  samplingRatio: number;
  enforceSchema: boolean;
  preferDate: boolean;
  chunkSize: number;
}

const encoder = new TextEncoder();

/** @internal The reader configuration of one csvSource call (options validated, Spark's defaults filled in). */
export function csvConfig(options: unknown): CsvConfig {
  const o = normalizeOptions('csv', options, CSV_READ_SPEC, CSV_READ_ALIASES);
  const { str, bool } = optionGetters(o);
  const syn: CsvSyntax = {
    sep: str('sep', ','),
    quote: str('quote', '"'),
    escape: str('escape', '\\'),
    comment: str('comment', ''),
    lineSep: o.get('lineSep') as string | undefined,
    multiLine: bool('multiLine', false),
    trimLead: bool('ignoreLeadingWhiteSpace', false),
    trimTrail: bool('ignoreTrailingWhiteSpace', false),
    maxColumns: o.has('maxColumns') ? (o.get('maxColumns') as number) : 20480,
  };
  if (syn.quote !== '' && syn.sep.startsWith(syn.quote)) throw Errors.invalidArg('csv', 'option quote', 'a quote character different from the separator', syn.quote);
  const nullValue = str('nullValue', '');
  const emptyValue = str('emptyValue', '');
  return {
    syn,
    header: bool('header', false),
    inferSchema: bool('inferSchema', false),
    nullValue,
    nullBytes: encoder.encode(nullValue),
    nanBytes: encoder.encode(str('nanValue', 'NaN')),
    posInfBytes: encoder.encode(str('positiveInf', 'Inf')),
    negInfBytes: encoder.encode(str('negativeInf', '-Inf')),
    emptyValue,
    emptyBytes: encoder.encode(emptyValue),
    dateFormat: o.get('dateFormat') as string | undefined,
    timestampFormat: o.get('timestampFormat') as string | undefined,
    mode: (o.get('mode') as ParseMode | undefined) ?? 'PERMISSIVE',
    corruptName: str('columnNameOfCorruptRecord', '_corrupt_record'),
    samplingRatio: o.has('samplingRatio') ? (o.get('samplingRatio') as number) : 1,
    enforceSchema: bool('enforceSchema', true),
    preferDate: bool('preferDate', true),
    chunkSize: o.has('_chunkSize') ? (o.get('_chunkSize') as number) : 4 << 20,
  };
}
