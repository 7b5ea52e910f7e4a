// What console.log prints (util.inspect): PySpark's reprs for the engine's user objects.
import t from 'tap';
import { inspect } from 'node:util';
import { Session, col, functions as F } from '../../ts/src/index.js';

t.test('DataFrame, Column, GroupedData and Session print short PySpark-style reprs', async (t) => {
  const spark = await Session.builder().appName('repr').master('local').getOrCreate();
  t.teardown(() => spark.stop());
  const df = spark.createDataFrame([{ age: 2, name: 'Alice' }]);
  t.equal(inspect(df), 'DataFrame[age: bigint, name: string]');
  t.equal(String(df), 'DataFrame[age: bigint, name: string]');
  t.equal(inspect(col('age').plus(1)), "Column<'(age + 1)'>");
  t.equal(inspect(df.groupBy('name')), 'GroupedData[grouping expressions: [name], value: [age: bigint, name: string], type: GroupBy]');
  t.equal(inspect(spark), "Session(appName='repr', master='local')");
  t.equal(inspect({ frames: [df.select(F.avg('age').alias('a'))] }), '{ frames: [ DataFrame[a: double] ] }');
});
