/**
 * A column's metadata, as Spark keeps it on a StructField (a JSON object: ML attributes live
 * under `ml_attr`, docs/formats/SPARK_MODEL_FORMAT.md), carried on the Arrow Field: each
 * top-level key of Spark's object is one entry of the Field's metadata map, its value the JSON
 * text of that key's value. A plain column reference, and an alias of one, keep the metadata
 * (Spark's `Alias` takes its child's metadata unless given its own); any other expression
 * starts with none. Parquet output writes it into Spark's schema JSON and reading restores it
 * (io/parquet/spark-schema.ts, read-schema.ts), so metadata survives Spark <-> kindling.
 */
import * as arrow from 'apache-arrow';

/** Spark's metadata object of a field (`{}` when it has none). A value that is not JSON is kept as a string. */
export function sparkMetadataOf(field: arrow.Field): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of field.metadata) {
    try {
      out[k] = JSON.parse(v);
    } catch {
      out[k] = v;
    }
  }
  return out;
}

/** The Arrow metadata map for Spark's metadata object. */
export function arrowMetadataOf(metadata: Record<string, unknown> | null | undefined): Map<string, string> {
  const m = new Map<string, string>();
  if (metadata) for (const [k, v] of Object.entries(metadata)) m.set(k, JSON.stringify(v));
  return m;
}

/** The field with Spark's metadata object `metadata` (replacing what it had). */
export function withSparkMetadata(field: arrow.Field, metadata: Record<string, unknown> | null | undefined): arrow.Field {
  return new arrow.Field(field.name, field.type, field.nullable, arrowMetadataOf(metadata));
}
