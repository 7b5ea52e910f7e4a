/**
 * Checks every message of an Arrow IPC file or stream before apache-arrow decodes it. apache-arrow
 * trusts the flatbuffer metadata: a damaged vector length (a schema's field or child count, a
 * batch's node or buffer count) makes its decoder loop up to 2^32 times — the "hang" of issue 10
 * (a flipped byte in the schema message: decodeFieldChildren spinning at 100% CPU). Here each
 * message is framed and bounded (metadata and body inside the file), every flatbuffer vector fits
 * its metadata, field counts have a budget, a batch has one node per schema field and its buffers
 * lie inside its body; for the file format the footer's schema and blocks are checked too.
 * Only metadata is read (one small read per message), never the bodies.
 * Framing and tables follow the Arrow IPC format (docs/formats/PARQUET_ARROW_NODE.md).
 */
import type { FileHandle } from 'node:fs/promises';
import { Errors, KindlingError } from '../errors.js';
import * as flatbuffers from 'flatbuffers';
import { Footer } from 'apache-arrow/fb/footer';
import { Message } from 'apache-arrow/fb/message';
import { MessageHeader } from 'apache-arrow/fb/message-header';
import { RecordBatch as FbRecordBatch } from 'apache-arrow/fb/record-batch';
import { DictionaryBatch } from 'apache-arrow/fb/dictionary-batch';
import { Schema as FbSchema } from 'apache-arrow/fb/schema';
import type { Field as FbField } from 'apache-arrow/fb/field';

/** Up to `length` bytes at `start` (fewer at the end of the file). */
export async function readAt(fh: FileHandle, start: number, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(out, got, length - got, start + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return out.subarray(0, got);
}

/** A defect found deep in the metadata: caught by messagesDefect, which returns its message. */
const defect = (text: string) => Errors.load(text);

/** Counts the schema's fields (all depths), failing on a vector longer than its buffer can hold. */
function schemaNodes(s: FbSchema, cap: number, what: string): number {
  if (s.fieldsLength() * 4 > cap || s.customMetadataLength() * 4 > cap) throw defect(`${what} declares ${s.fieldsLength()} fields in ${cap} bytes`);
  let budget = Math.floor(cap / 4);
  const walk = (f: FbField, depth: number): number => {
    if (--budget < 0 || depth > 64) throw defect(`${what} nests fields deeper or more often than ${cap} bytes can`);
    const n = f.childrenLength();
    if (n * 4 > cap || f.customMetadataLength() * 4 > cap) throw defect(`${what} declares ${n} children in ${cap} bytes`);
    let nodes = 1;
    for (let i = 0; i < n; i++) nodes += walk(f.children(i)!, depth + 1);
    return nodes;
  };
  let nodes = 0;
  for (let i = 0; i < s.fieldsLength(); i++) nodes += walk(s.fields(i)!, 0);
  return nodes;
}

function checkBatch(b: FbRecordBatch, cap: number, body: number, nodes: number | null, what: string): void {
  const n = b.nodesLength();
  const m = b.buffersLength();
  if (n * 16 > cap || m * 16 > cap || b.variadicBufferCountsLength() * 8 > cap) throw defect(`${what} declares ${n} nodes and ${m} buffers in ${cap} bytes`);
  if (nodes !== null && n !== nodes) throw defect(`${what} has ${n} field nodes for a schema of ${nodes}`);
  if (b.length() < 0n) throw defect(`${what} declares ${b.length()} rows`);
  for (let i = 0; i < m; i++) {
    const buf = b.buffers(i)!;
    const end = buf.offset() + buf.length();
    if (buf.offset() < 0n || buf.length() < 0n || end > BigInt(body)) throw defect(`${what} buffer ${i} (${buf.offset()}+${buf.length()}) lies outside its ${body}-byte body`);
  }
  for (let i = 0; i < n; i++) {
    const node = b.nodes(i)!;
    if (node.length() < 0n || node.nullCount() < 0n || node.nullCount() > node.length()) throw defect(`${what} field node ${i} declares ${node.nullCount()} nulls in ${node.length()} values`);
  }
}

/**
 * Why the messages of an IPC file/stream of `size` bytes are malformed, or null when every one is
 * sound. Record batches are numbered from 0 in the message ("batch 2").
 */
export async function messagesDefect(fh: FileHandle, size: number, format: 'file' | 'stream'): Promise<string | null> {
  try {
    let limit = size;
    let batchBlocks = 0;
    let nodes: number | null = null;
    if (format === 'file') {
      const tail = await readAt(fh, size - 10, 4);
      const footerLen = new DataView(tail.buffer, tail.byteOffset, 4).getInt32(0, true);
      limit = size - 10 - footerLen;
      const footer = Footer.getRootAsFooter(new flatbuffers.ByteBuffer(await readAt(fh, limit, footerLen)));
      const schema = footer.schema();
      if (!schema) return 'the footer has no schema';
      nodes = schemaNodes(schema, footerLen, 'the footer schema');
      batchBlocks = footer.recordBatchesLength();
      if (batchBlocks * 24 > footerLen || footer.dictionariesLength() * 24 > footerLen) return `the footer lists ${batchBlocks} batches in ${footerLen} bytes`;
      for (const [count, block, kind] of [[batchBlocks, (i: number) => footer.recordBatches(i), 'batch'], [footer.dictionariesLength(), (i: number) => footer.dictionaries(i), 'dictionary']] as const) {
        for (let i = 0; i < count; i++) {
          const b = block(i)!;
          const end = b.offset() + BigInt(b.metaDataLength()) + b.bodyLength();
          if (b.offset() < 8n || b.metaDataLength() <= 0 || b.bodyLength() < 0n || end > BigInt(limit)) return `the footer places ${kind} ${i} outside the file`;
        }
      }
    }
    let pos = format === 'file' ? 8 : 0;
    let batch = 0;
    let ended = false;
    for (let msg = 0; pos < limit && !ended; msg++) {
      const head = await readAt(fh, pos, 8);
      if (head.length < 4) return `message ${msg} is cut off`;
      const dv = new DataView(head.buffer, head.byteOffset, head.length);
      const cont = dv.getInt32(0, true);
      const legacy = cont !== -1;
      if (!legacy && head.length < 8) return `message ${msg} is cut off`;
      const metaLen = legacy ? cont : dv.getInt32(4, true);
      if (metaLen === 0) {
        // the end-of-stream marker; apache-arrow would read anything after it as another stream
        ended = true;
        const end = pos + (legacy ? 4 : 8);
        if (format === 'stream' && end !== size) return `${size - end} bytes follow the end-of-stream marker at byte ${pos}`;
        break;
      }
      const metaStart = pos + (legacy ? 4 : 8);
      if (!(metaLen > 0 && metaStart + metaLen <= limit)) return `message ${msg} declares ${metaLen} bytes of metadata at byte ${pos}, past the end`;
      const meta = await readAt(fh, metaStart, metaLen);
      const m = Message.getRootAsMessage(new flatbuffers.ByteBuffer(meta));
      const bodyLen = m.bodyLength();
      if (bodyLen < 0n || BigInt(metaStart + metaLen) + bodyLen > BigInt(limit)) return `message ${msg} declares a ${bodyLen}-byte body at byte ${pos}, past the end`;
      const body = Number(bodyLen);
      const kind = m.headerType();
      if (kind === MessageHeader.Schema) {
        if (msg !== 0) return `message ${msg} is a second schema`;
        const n = schemaNodes(m.header(new FbSchema()) as FbSchema, metaLen, 'the schema');
        if (nodes !== null && n !== nodes) return `the schema has ${n} fields but the footer's has ${nodes}`;
        nodes = n;
      } else if (kind === MessageHeader.RecordBatch) {
        if (nodes === null) return `batch ${batch} comes before the schema`;
        checkBatch(m.header(new FbRecordBatch()) as FbRecordBatch, metaLen, body, nodes, `batch ${batch}`);
        batch++;
      } else if (kind === MessageHeader.DictionaryBatch) {
        const d = m.header(new DictionaryBatch()) as DictionaryBatch;
        const data = d.data();
        if (!data) return `message ${msg}: a dictionary batch without data`;
        checkBatch(data, metaLen, body, null, `dictionary message ${msg}`);
      } else {
        return `message ${msg} has unknown type ${kind}`;
      }
      pos = metaStart + metaLen + body;
    }
    if (format === 'file' && batch < batchBlocks) return `the footer lists ${batchBlocks} batches but the file holds ${batch}`;
    return format === 'stream' && !ended ? 'the stream ends without its end-of-stream marker' : null;
  } catch (e) {
    if (e instanceof KindlingError) return e.message;
    return `malformed metadata (${e instanceof Error ? e.message : String(e)})`;
  }
}
