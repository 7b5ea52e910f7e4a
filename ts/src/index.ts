/**
 * kindling: Spark MLlib and MLflow for TypeScript. The engine entry point (`kindling`): what a
 * user script touches — the session, DataFrames, columns and functions, types, errors, and the
 * one execution API for user partition summaries and tasks. Engine internals (kernel wrappers,
 * executor backends, wire codecs) are in `kindling/internals` (internals.ts).
 */
export { KindlingError, KindlingTypeError, KindlingRangeError, type ErrorCode } from './errors.js';
export { simdLevel, capabilities, type SimdLevel, type NativeCapabilities } from './native.js';
export { Session, SessionBuilder, parseMaster, type ParsedMaster, type JobInput, type AggregateOptions } from './session.js';
export { DataFrame, GroupedData, DataFrameNaFunctions } from './dataframe/dataframe.js';
export { Column, col, column, lit, when, functions, type Expr, type Literal } from './dataframe/column.js';
export { DataFrameReader } from './dataframe/reader.js';
export { DataFrameWriter } from './dataframe/writer.js';
export { Types, sparkTypeName, parseTypeName, isVectorType } from './dataframe/types.js';
export { parseSchema } from './dataframe/schema-ddl.js';
export type { CreateInput, CreateOptions } from './dataframe/create.js';
export type { DataSource, ScanOptions, PushedFilter } from './io/source.js';
export { taskRef, localContext, type TaskRef, type Summary, type PartitionTask, type TaskContext, type Kept } from './exec/task.js';
export { Blocks, type JobSource, type SourceLike } from './exec/jobs.js';
export type { ExecutorMetrics } from './exec/backend.js';
