/**
 * Error classes and message factories. Every error kindling throws carries a `code`; messages
 * follow `<api>: expected <what> for <name>, got <value> (<type>)`.
 */

export type ErrorCode =
  | 'ERR_KINDLING_INVALID_ARG'
  | 'ERR_KINDLING_SCHEMA'
  | 'ERR_KINDLING_NOT_FITTED'
  | 'ERR_KINDLING_NATIVE'
  | 'ERR_KINDLING_WORKER'
  | 'ERR_KINDLING_TRANSPORT'
  | 'ERR_KINDLING_UNSUPPORTED_CPU'
  | 'ERR_KINDLING_LOAD'
  /** A run, experiment, registered model or version that does not exist (MLflow's RESOURCE_DOES_NOT_EXIST). */
  | 'ERR_KINDLING_NOT_FOUND'
  /** A name already taken: experiment, registered model (MLflow's RESOURCE_ALREADY_EXISTS). */
  | 'ERR_KINDLING_ALREADY_EXISTS'
  /** A feature named but not built yet (e.g. remote artifacts through the REST tracking store). */
  | 'ERR_KINDLING_UNSUPPORTED'
  /** An iterative fit that cannot go on (e.g. its log-likelihood became NaN): not an argument error. */
  | 'ERR_KINDLING_CONVERGENCE';

export class KindlingError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'KindlingError';
  }
}

export class KindlingTypeError extends KindlingError {
  constructor(message: string, code: ErrorCode = 'ERR_KINDLING_INVALID_ARG', options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'KindlingTypeError';
  }
}

export class KindlingRangeError extends KindlingError {
  constructor(message: string, code: ErrorCode = 'ERR_KINDLING_INVALID_ARG', options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'KindlingRangeError';
  }
}

/** A short, safe rendering of a value for an error message. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null (null)';
  if (value === undefined) return 'undefined (undefined)';
  if (ArrayBuffer.isView(value)) {
    const len = 'length' in value ? (value as unknown as { length: number }).length : value.byteLength;
    return `${value.constructor.name}(${len}) (object)`;
  }
  if (Array.isArray(value)) return `Array(${value.length}) (object)`;
  if (typeof value === 'string') {
    const s = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return `${JSON.stringify(s)} (string)`;
  }
  if (typeof value === 'bigint') return `${value}n (bigint)`;
  if (typeof value === 'object') return `${value.constructor?.name ?? 'Object'} (object)`;
  return `${String(value)} (${typeof value})`;
}

export const Errors = {
  invalidArg(api: string, name: string, what: string, value: unknown): KindlingTypeError {
    return new KindlingTypeError(`${api}: expected ${what} for ${name}, got ${describeValue(value)}`);
  },
  outOfRange(api: string, name: string, what: string, value: unknown): KindlingRangeError {
    return new KindlingRangeError(`${api}: expected ${what} for ${name}, got ${describeValue(value)}`);
  },
  badRow(api: string, name: string, row: number, what: string): KindlingRangeError {
    return new KindlingRangeError(`${api}: row ${row} of ${name} ${what}`);
  },
  native(api: string, cause: unknown): KindlingError {
    const msg = cause instanceof Error ? cause.message : String(cause);
    return new KindlingError('ERR_KINDLING_NATIVE', `${api}: native failure: ${msg}`, { cause });
  },
  /** A native throw: argument errors (code ERR_KINDLING_INVALID_ARG) keep their class and message. */
  fromNative(api: string, cause: unknown): KindlingError {
    if (cause instanceof Error && (cause as { code?: string }).code === 'ERR_KINDLING_INVALID_ARG') {
      const msg = cause.message.replace(/^[A-Za-z0-9_]+: /, `${api}: `);
      return cause instanceof RangeError ? new KindlingRangeError(msg, 'ERR_KINDLING_INVALID_ARG', { cause }) : new KindlingTypeError(msg, 'ERR_KINDLING_INVALID_ARG', { cause });
    }
    return Errors.native(api, cause);
  },
  /** A plan or data error: unknown column, type mismatch, bad row (code ERR_KINDLING_SCHEMA). */
  schema(message: string, cause?: unknown): KindlingError {
    return new KindlingError('ERR_KINDLING_SCHEMA', message, cause === undefined ? undefined : { cause });
  },
  unknownColumn(api: string, name: string, available: readonly string[]): KindlingError {
    const list = available.length > 12 ? `${available.slice(0, 12).join(', ')}, …` : available.join(', ');
    return new KindlingError('ERR_KINDLING_SCHEMA', `${api}: cannot resolve column ${JSON.stringify(name)} among [${list}]`);
  },
  notFound(api: string, what: string): KindlingError {
    return new KindlingError('ERR_KINDLING_NOT_FOUND', `${api}: ${what} does not exist`);
  },
  alreadyExists(api: string, what: string): KindlingError {
    return new KindlingError('ERR_KINDLING_ALREADY_EXISTS', `${api}: ${what} already exists`);
  },
  unsupported(api: string, what: string): KindlingError {
    return new KindlingError('ERR_KINDLING_UNSUPPORTED', `${api}: not supported yet: ${what}`);
  },
  load(message: string, cause?: unknown): KindlingError {
    return new KindlingError('ERR_KINDLING_LOAD', message, { cause });
  },
};
