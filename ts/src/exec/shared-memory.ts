/**
 * Plain data between the threads of one process: typed arrays backed by SharedArrayBuffers are
 * shared by structured clone (no copy), other typed arrays are copied in, or moved back by
 * transfer. These helpers place a value in shared memory once, count what a message copies
 * (ExecutorMetrics), and list what a reply can move.
 */
import type { ArrayCtor, TaskContext } from './task.js';

function isShared(v: ArrayBufferView): boolean {
  return v.buffer instanceof SharedArrayBuffer;
}

function toShared<T extends ArrayBufferView>(a: T): T {
  if (isShared(a)) return a;
  const Ctor = a.constructor as new (b: SharedArrayBuffer, o?: number, n?: number) => T;
  const bytes = a.byteLength;
  const sab = new SharedArrayBuffer(bytes);
  new Uint8Array(sab).set(new Uint8Array(a.buffer, a.byteOffset, bytes));
  return new Ctor(sab, 0, bytes / (a as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT);
}

/** The value with every typed array in shared memory (copied once where it is not yet). Plain objects and arrays only. */
export function shareValue<T>(value: T): T {
  if (ArrayBuffer.isView(value)) return toShared(value) as T;
  if (Array.isArray(value)) return value.map(shareValue) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = shareValue(v);
    return out as T;
  }
  return value;
}

/** Bytes a structured clone of `value` copies (typed arrays not in shared memory). */
export function copiedBytes(value: unknown, depth = 0): number {
  if (depth > 64) return 0;
  if (ArrayBuffer.isView(value)) return isShared(value) ? 0 : value.byteLength;
  if (Array.isArray(value)) {
    let s = 0;
    for (const v of value) s += copiedBytes(v, depth + 1);
    return s;
  }
  if (value !== null && typeof value === 'object') {
    let s = 0;
    for (const v of Object.values(value)) s += copiedBytes(v, depth + 1);
    return s;
  }
  return 0;
}

/** ArrayBuffers (not shared ones) inside a plain value, to move rather than copy. */
export function transferables(value: unknown, out: ArrayBuffer[] = [], seen = new Set<ArrayBuffer>(), depth = 0): ArrayBuffer[] {
  if (depth > 64) return out;
  if (ArrayBuffer.isView(value)) {
    const buf = value.buffer;
    if (buf instanceof ArrayBuffer && !seen.has(buf)) {
      seen.add(buf);
      out.push(buf);
    }
  } else if (Array.isArray(value)) {
    for (const v of value) transferables(v, out, seen, depth + 1);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) transferables(v, out, seen, depth + 1);
  }
  return out;
}

/** `TaskContext.share`: identity on one thread; on a pool, a shared copy of an unshared array. */
export function sharer(shared: boolean): TaskContext['share'] {
  return shared ? <T extends ArrayBufferView>(a: T) => toShared(a) : <T extends ArrayBufferView>(a: T) => a;
}

/** Allocation in shared memory (a pool thread's outputs) or on the heap (one thread). */
export function allocator(shared: boolean): TaskContext['alloc'] {
  if (!shared) return <C extends ArrayCtor>(ctor: C, length: number) => new ctor(length) as InstanceType<C>;
  return <C extends ArrayCtor>(ctor: C, length: number) => new (ctor as unknown as new (b: SharedArrayBuffer, o: number, n: number) => InstanceType<C>)(new SharedArrayBuffer(Math.max(length, 0) * ctor.BYTES_PER_ELEMENT), 0, length);
}

/**
 * The value with every typed array that views part of an unshared buffer replaced by a copy of
 * just that part (structured clone would copy the whole buffer). Shared arrays stay shared.
 */
export function compactViews<T>(value: T, depth = 0): T {
  if (depth > 64) return value;
  if (ArrayBuffer.isView(value)) {
    if (isShared(value) || value.byteLength === value.buffer.byteLength) return value;
    return (value as unknown as { slice(): T }).slice();
  }
  if (Array.isArray(value)) return value.map((v) => compactViews(v, depth + 1)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = compactViews(v, depth + 1);
    return out as T;
  }
  return value;
}
