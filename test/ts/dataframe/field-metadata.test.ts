// Column metadata (Spark's StructField metadata, where ML attributes live): a column reference
// and an alias of one keep it, `alias(name, { metadata })` sets it, other expressions start
// without, and Parquet output writes it into Spark's schema JSON, which reading restores.
import t from 'tap';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata } from 'hyparquet';
import { readFileSync } from 'node:fs';
import { Session, col, lit } from '../../../ts/src/index.js';
import { sparkMetadataOf } from '../../../ts/src/dataframe/field-metadata.js';

const spark = await Session.builder().appName('field-metadata').master('local[2]').getOrCreate();
t.teardown(() => spark.stop());

const attr = { ml_attr: { type: 'nominal', vals: ['a', 'b'], name: 'idx' } };
const base = spark.createDataFrame([{ idx: 0, x: 1.5 }, { idx: 1, x: 2.5 }]);
const tagged = base.select(col('idx').alias('idx', { metadata: attr }), col('x'));

t.test('alias sets metadata; references and aliases keep it; other expressions drop it', async (t) => {
  t.same(sparkMetadataOf(tagged.schema.fields[0]!), attr);
  t.same(sparkMetadataOf(tagged.schema.fields[1]!), {});
  t.same(sparkMetadataOf(tagged.select('idx').schema.fields[0]!), attr, 'select by name');
  t.same(sparkMetadataOf(tagged.withColumn('y', col('x').multiply(2)).schema.fields[0]!), attr, 'withColumn keeps the others');
  t.same(sparkMetadataOf(tagged.select(col('idx').alias('renamed')).schema.fields[0]!), attr, 'alias of a reference');
  t.same(sparkMetadataOf(tagged.filter(col('x').gt(2)).schema.fields[0]!), attr, 'filter');
  t.same(sparkMetadataOf(tagged.select(col('idx').plus(lit(1)).alias('i1')).schema.fields[0]!), {}, 'an expression starts with none');
  t.same(sparkMetadataOf(tagged.select(col('idx').alias('z', { metadata: { note: 'n' } })).schema.fields[0]!), { note: 'n' }, 'own metadata replaces');
  // The executed batches carry it too, not only the planned schema.
  const table = await tagged.select('idx').toArrow();
  t.same(sparkMetadataOf(table.schema.fields[0]!), attr);
  t.throws(() => col('a').alias('b', { metadata: [] as never }), /Column\.alias: expected a JSON object for options\.metadata/);
});

t.test('Parquet writes Spark metadata into the schema JSON and reading restores it', async (t) => {
  const dir = join(mkdtempSync(join(tmpdir(), 'kindling-md-')), 'out.parquet');
  await tagged.write.parquet(dir);
  const part = readdirSync(dir).find((f) => f.endsWith('.parquet'))!;
  const buf = readFileSync(join(dir, part));
  const meta = parquetMetadata(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const json = JSON.parse(meta.key_value_metadata!.find((kv) => kv.key === 'org.apache.spark.sql.parquet.row.metadata')!.value!);
  t.same(json.fields[0].metadata, attr, "Spark's StructField metadata");
  t.same(json.fields[1].metadata, {});
  const back = await spark.read.parquet(dir);
  t.same(sparkMetadataOf(back.schema.fields[0]!), attr);
  t.same(sparkMetadataOf(back.schema.fields[1]!), {});
  t.same((await back.orderBy('idx').collect()).map((r) => r.idx), [0, 1]);
});
