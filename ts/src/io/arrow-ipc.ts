/**
 * Arrow IPC in and out (apache-arrow's RecordBatchReader / RecordBatchWriter), in both the file
 * format (`ARROW1` magic at both ends, random access through the footer) and the stream format
 * (a sequence of messages ending with an end-of-stream marker). The format of each input is
 * detected from its magic bytes. Batches come out as read: column selection and batchSize
 * splitting are zero-copy slices of the buffers the reader produced.
 *
 * A file without its `ARROW1` footer, or a stream without its end-of-stream marker, is treated
 * as truncated (an interrupted writer), not read as if it were complete. Damage is an error,
 * never a hang or silently different rows: every message is checked before apache-arrow decodes
 * it (arrow-messages.ts), every batch against its buffers before it is yielded (arrow-check.ts),
 * the reader's file handle has a progress watchdog, and files kindling writes in the file format
 * carry a CRC-32 per batch, verified on read (arrow-checksums.ts explains where and why).
 */
import { open, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import * as arrow from 'apache-arrow';
import { Errors, KindlingError } from '../errors.js';
import { sparkTypeName } from '../dataframe/types.js';
import { batchDefect } from './arrow-check.js';
import { CHECKSUM_KEY, RangeChecksums, checksumDefect } from './arrow-checksums.js';
import { messagesDefect, readAt } from './arrow-messages.js';
import { DEFAULT_BATCH_SIZE } from './source.js';
import type { DataSource, ScanOptions } from './source.js';

type Format = 'file' | 'stream';

interface IpcFile {
  file: string;
  format: Format;
  schema: arrow.Schema;
  /** the per-batch checksums kindling wrote into the footer (arrow-checksums.ts), if any */
  checksums: string | null;
}

function cannotRead(file: string, reason: string, cause?: unknown): KindlingError {
  return Errors.load(`arrow: cannot read ${file}: ${reason}`, cause);
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // ARROW1

function hasMagic(b: Uint8Array, at: number): boolean {
  return MAGIC.every((m, i) => b[at + i] === m);
}

/**
 * The format of an open file, after its magic, completeness and every message's metadata have
 * been checked (arrow-messages.ts). Run when a source is made and again when it is scanned: the
 * file may have changed in between, and apache-arrow must never see unchecked metadata.
 */
async function checkedFormat(file: string, fh: FileHandle): Promise<Format> {
  const format = await sniff(file, fh);
  const defect = await messagesDefect(fh, (await fh.stat()).size, format);
  if (defect) throw cannotRead(file, `file is corrupt (${defect})`);
  return format;
}

/** Detects the format from the magic bytes and checks that the file is complete. */
async function sniff(file: string, fh: FileHandle): Promise<Format> {
  const size = (await fh.stat()).size;
  if (size === 0) throw cannotRead(file, 'file is empty (0 bytes), not Arrow IPC');
  const head = await readAt(fh, 0, Math.min(size, 8));
  const tail = await readAt(fh, Math.max(0, size - 10), Math.min(size, 10));
  if (head.length >= 6 && hasMagic(head, 0)) {
    if (size < 18 || !hasMagic(tail, tail.length - 6)) throw cannotRead(file, 'file is truncated or not Arrow IPC (no ARROW1 footer)');
    const footerLen = new DataView(tail.buffer, tail.byteOffset + tail.length - 10, 4).getInt32(0, true);
    if (!(footerLen > 0 && footerLen <= size - 18)) throw cannotRead(file, `file is truncated or corrupt (footer length ${footerLen})`);
    return 'file';
  }
  if (head.length >= 4) {
    const first = new DataView(head.buffer, head.byteOffset, head.length).getInt32(0, true);
    const isStream = first === -1 || (first > 0 && first < size);
    if (isStream) {
      const t = tail;
      const eos = t.length >= 8 && t[t.length - 8] === 0xff && t[t.length - 7] === 0xff && t[t.length - 6] === 0xff && t[t.length - 5] === 0xff && t.subarray(t.length - 4).every((x) => x === 0);
      const legacyEos = first !== -1 && t.length >= 4 && t.subarray(t.length - 4).every((x) => x === 0);
      if (!eos && !legacyEos) throw cannotRead(file, 'stream is truncated (no end-of-stream marker)');
      return 'stream';
    }
  }
  throw cannotRead(file, 'not an Arrow IPC file or stream (no ARROW1 magic, no stream header)');
}

/** More reads between two batches than any sound message needs: the reader is not making progress. */
const MAX_READS_PER_BATCH = 10_000;

/**
 * The FileHandle as apache-arrow's reader sees it (it needs `fd`, `stat` and `read`), with a
 * watchdog: more than MAX_READS_PER_BATCH reads before `progress()` is called again throws, and
 * so does a read at a negative position. apache-arrow turns a negative message length into a
 * negative position; FileHandle.read then reads at the current position (the end of the file),
 * gets 0 bytes, and AsyncRandomAccessFile.read asks again forever (a hang found by the fuzzer).
 */
function watchedHandle(fh: FileHandle, file: string) {
  let reads = 0;
  return {
    fd: fh.fd,
    stat: () => fh.stat(),
    close: () => fh.close(),
    read: (buffer: Uint8Array, offset: number, length: number, position: number) => {
      if (++reads > MAX_READS_PER_BATCH) return Promise.reject(cannotRead(file, `file is corrupt (${MAX_READS_PER_BATCH} reads without a new batch)`));
      if (!(position >= 0)) return Promise.reject(cannotRead(file, `file is corrupt (a message length points to byte ${position})`));
      return fh.read(buffer, offset, length, position);
    },
    progress: () => {
      reads = 0;
    },
  };
}

async function openReader(fh: ReturnType<typeof watchedHandle>) {
  const reader = await arrow.RecordBatchReader.from(fh as unknown as FileHandle);
  await reader.open();
  return reader;
}

async function closeQuietly(fh: FileHandle): Promise<void> {
  try {
    await fh.close();
  } catch {
    // the reader may already have closed it
  }
}

async function describeIpc(file: string): Promise<IpcFile> {
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw cannotRead(file, code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : messageOf(e), e);
  }
  try {
    const format = await checkedFormat(file, fh);
    let reader: Awaited<ReturnType<typeof openReader>>;
    try {
      reader = await openReader(watchedHandle(fh, file));
    } catch (e) {
      throw e instanceof KindlingError ? e : cannotRead(file, `file is corrupt (${messageOf(e)})`, e);
    }
    if (!reader.schema) throw cannotRead(file, 'file is corrupt (no schema message)');
    const checksums = reader.schema.metadata.get(CHECKSUM_KEY) ?? null;
    const metadata = new Map([...reader.schema.metadata].filter(([k]) => k !== CHECKSUM_KEY));
    return { file, format, schema: new arrow.Schema(reader.schema.fields, metadata), checksums };
  } finally {
    await closeQuietly(fh);
  }
}

function sameFields(a: arrow.Schema, b: arrow.Schema): boolean {
  return a.fields.length === b.fields.length && a.fields.every((f, i) => f.name === b.fields[i]!.name && String(f.type) === String(b.fields[i]!.type));
}

export interface ArrowReadOptions {
  /** Check the per-batch CRC-32s of files kindling wrote (default true); a mismatch names the file and batch. */
  verifyChecksums?: boolean;
}

/** A DataSource over Arrow IPC files (file or stream format, detected per file). All files must share one schema. */
export async function arrowSource(paths: readonly string[], options: ArrowReadOptions = {}): Promise<DataSource> {
  const api = 'arrow';
  const verify = options.verifyChecksums ?? true;
  if (typeof verify !== 'boolean') throw Errors.invalidArg(api, 'verifyChecksums', 'a boolean', verify);
  if (!Array.isArray(paths) || paths.length === 0 || paths.some((p) => typeof p !== 'string')) {
    throw Errors.invalidArg(api, 'paths', 'a non-empty array of file paths', paths);
  }
  const files: IpcFile[] = [];
  for (const p of paths) files.push(await describeIpc(p));
  const first = files[0]!;
  for (const f of files.slice(1)) {
    if (!sameFields(first.schema, f.schema)) {
      const show = (s: arrow.Schema) => s.fields.map((x) => `${x.name}: ${sparkTypeName(x.type)}`).join(', ');
      throw new KindlingError('ERR_KINDLING_SCHEMA', `arrow: ${f.file} has columns [${show(f.schema)}] but ${first.file} has [${show(first.schema)}]`);
    }
  }
  // A field is nullable when it is nullable in any file.
  const fields = first.schema.fields.map((f, i) => (files.some((x) => x.schema.fields[i]!.nullable) && !f.nullable ? new arrow.Field(f.name, f.type, true, f.metadata) : f));
  const schema = new arrow.Schema(fields, first.schema.metadata);
  const shown = paths.length > 3 ? `${paths.slice(0, 3).join(', ')}, … (${paths.length} files)` : paths.join(', ');

  return {
    schema,
    description: `arrow [${shown}]`,
    files: paths.slice(),
    scan(options: ScanOptions = {}): AsyncIterable<arrow.RecordBatch> {
      const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
      if (!Number.isInteger(batchSize) || batchSize < 1) throw Errors.invalidArg(api, 'batchSize', 'an integer >= 1', batchSize);
      let indices: number[] | null = null;
      if (options.columns) {
        indices = options.columns.map((name) => {
          const i = fields.findIndex((f) => f.name === name);
          if (i < 0) throw new KindlingError('ERR_KINDLING_SCHEMA', `${api}: cannot resolve column ${JSON.stringify(name)} among [${fields.map((f) => f.name).join(', ')}]`);
          return i;
        });
      }
      const outSchema = indices ? new arrow.Schema(indices.map((i) => fields[i]!)) : schema;
      return scanIpc(files, outSchema, indices, batchSize, verify);
    },
  };
}

/** More empty batches in a row than any writer produces: the reader is not making progress. */
const MAX_EMPTY_BATCHES = 10_000;

async function* scanIpc(files: IpcFile[], outSchema: arrow.Schema, indices: number[] | null, batchSize: number, verify: boolean): AsyncGenerator<arrow.RecordBatch> {
  const structType = new arrow.Struct(outSchema.fields);
  for (const { file, checksums } of files) {
    let fh: FileHandle;
    try {
      fh = await open(file, 'r');
    } catch (e) {
      throw cannotRead(file, messageOf(e), e);
    }
    try {
      await checkedFormat(file, fh);
      const size = (await fh.stat()).size;
      if (verify && checksums !== null) {
        const defect = await checksumDefect(fh, size, checksums);
        if (defect) throw cannotRead(file, `file is corrupt (${defect})`);
      }
      let reader: Awaited<ReturnType<typeof openReader>>;
      const watched = watchedHandle(fh, file);
      try {
        reader = await openReader(watched);
      } catch (e) {
        throw e instanceof KindlingError ? e : cannotRead(file, `file is corrupt (${messageOf(e)})`, e);
      }
      const it = (reader as AsyncIterable<arrow.RecordBatch>)[Symbol.asyncIterator]();
      let index = -1;
      let empty = 0;
      for (;;) {
        let r: IteratorResult<arrow.RecordBatch>;
        try {
          r = await it.next();
        } catch (e) {
          throw e instanceof KindlingError ? e : cannotRead(file, `file is truncated or corrupt (${messageOf(e)})`, e);
        }
        if (r.done) break;
        watched.progress();
        index++;
        const b = r.value;
        const defect = batchDefect(b, reader.schema) ?? (index > size ? `${index + 1} batches in ${size} bytes` : null);
        if (defect) throw cannotRead(file, `batch ${index} is corrupt (${defect})`);
        const rows = b.numRows;
        // watchdog: a damaged stream that keeps yielding empty batches without progress
        if (rows === 0 && ++empty > MAX_EMPTY_BATCHES) throw cannotRead(file, `batch ${index} is corrupt (${empty} empty batches in a row)`);
        if (rows === 0) continue;
        empty = 0;
        const children = indices ? indices.map((i) => b.data.children[i]!) : b.data.children;
        const data = arrow.makeData({ type: structType, length: rows, nullCount: 0, children });
        const batch = new arrow.RecordBatch(outSchema, data);
        if (rows <= batchSize) yield batch;
        else for (let s = 0; s < rows; s += batchSize) yield batch.slice(s, Math.min(rows, s + batchSize));
      }
    } finally {
      await closeQuietly(fh);
    }
  }
}

const BACKPRESSURE_BYTES = 64 << 20;

/**
 * Writes one Arrow IPC part file (`format` 'file', the default, or 'stream'). Output is appended
 * to the file while batches arrive (at most ~64 MiB waits in memory). An empty input still
 * writes a valid file carrying the schema.
 */
export async function writeArrowPart(
  file: string,
  schema: arrow.Schema,
  batches: AsyncIterable<arrow.RecordBatch> | Iterable<arrow.RecordBatch>,
  options: { format?: 'file' | 'stream' } = {},
): Promise<void> {
  const api = 'writeArrowPart';
  if (typeof file !== 'string' || file === '') throw Errors.invalidArg(api, 'file', 'a file path', file);
  if (!(schema instanceof arrow.Schema)) throw Errors.invalidArg(api, 'schema', 'an apache-arrow Schema', schema);
  const format = options.format ?? 'file';
  if (format !== 'file' && format !== 'stream') throw Errors.invalidArg(api, 'format', "'file' or 'stream'", format);
  const structType = new arrow.Struct(schema.fields);
  // the file format gets a CRC-32 per batch in its footer schema's metadata (arrow-checksums.ts)
  const sums = format === 'file' ? new RangeChecksums() : null;
  const written = new arrow.Schema(schema.fields, new Map([...schema.metadata].filter(([k]) => k !== CHECKSUM_KEY)));

  const fh = await open(file, 'w');
  const writer = format === 'stream' ? new arrow.RecordBatchStreamWriter() : new arrow.RecordBatchFileWriter();
  let flushed = 0;
  const state: { failure: unknown; wake: (() => void) | null } = { failure: null, wake: null };
  const pump = (async () => {
    try {
      for await (const chunk of writer) {
        sums?.feed(chunk);
        let done = 0;
        while (done < chunk.byteLength) done += (await fh.write(chunk, done, chunk.byteLength - done)).bytesWritten;
        flushed += chunk.byteLength;
        state.wake?.();
      }
    } catch (e) {
      state.failure = e;
      state.wake?.();
    }
  })();
  const position = () => (writer as unknown as { _position?: number })._position ?? 0;
  let ok = false;
  try {
    writer.reset(undefined, written);
    for await (const b of batches as AsyncIterable<arrow.RecordBatch>) {
      if (!(b instanceof arrow.RecordBatch)) throw Errors.invalidArg(api, 'batches', 'apache-arrow RecordBatches', b);
      if (b.numCols !== schema.fields.length || b.schema.fields.some((f, k) => f.name !== schema.fields[k]!.name || String(f.type) !== String(schema.fields[k]!.type))) {
        const show = (s: arrow.Schema) => s.fields.map((x) => `${x.name}: ${sparkTypeName(x.type)}`).join(', ');
        throw new KindlingError('ERR_KINDLING_SCHEMA', `${api}: a batch's columns [${show(b.schema)}] do not match the schema [${show(schema)}]`);
      }
      // Re-label with the declared schema so the writer never starts a second schema mid-file.
      const start = position();
      writer.write(new arrow.RecordBatch(written, arrow.makeData({ type: structType, length: b.numRows, nullCount: 0, children: b.data.children })));
      sums?.add(start, position());
      while (state.failure === null && position() - flushed > BACKPRESSURE_BYTES) await new Promise<void>((r) => (state.wake = r));
      state.wake = null;
      if (state.failure !== null) throw state.failure;
    }
    if (sums) {
      // every batch's bytes have passed the checksums before the footer that records them is made
      while (state.failure === null && sums.position < position()) await new Promise<void>((r) => (state.wake = r));
      state.wake = null;
      if (state.failure !== null) throw state.failure;
      written.metadata.set(CHECKSUM_KEY, sums.toString());
    }
    writer.finish();
    await pump;
    if (state.failure !== null) throw state.failure;
    ok = true;
  } catch (e) {
    writer.abort();
    await pump;
    if (e instanceof KindlingError) throw e;
    throw new KindlingError('ERR_KINDLING_SCHEMA', `${api}: cannot write ${file}: ${messageOf(e)}`, { cause: e });
  } finally {
    await closeQuietly(fh);
    if (!ok) await rm(file, { force: true });
  }
}
