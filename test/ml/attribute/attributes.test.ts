// ML attributes in Arrow field metadata (key ml_attr, Spark's JSON): each attribute kind to and
// from JSON with Spark's keys, the group form (default numeric attributes left out, idx inside
// the group), reading Spark-written metadata, and bad metadata.
import t from 'tap';
import * as arrow from 'apache-arrow';
import { ATTRIBUTE_KEY, AttributeGroup, BinaryAttribute, NominalAttribute, NumericAttribute, UnresolvedAttribute, attributeOf, withAttribute } from '../../../ts/ml/index.js';

const f = (name = 'c') => new arrow.Field(name, new arrow.Float64(), true);
const meta = (field: arrow.Field) => JSON.parse(field.metadata.get(ATTRIBUTE_KEY)!);

t.test('one column: Spark keys; numeric has no type; name defaults to the field', async (t) => {
  t.equal(ATTRIBUTE_KEY, 'ml_attr');
  t.same(meta(withAttribute(f('x'), new NominalAttribute({ values: ['a', 'b'], isOrdinal: false }))), { type: 'nominal', name: 'x', ord: false, vals: ['a', 'b'] });
  t.same(meta(withAttribute(f(), new NominalAttribute({ numValues: 3 }))), { type: 'nominal', name: 'c', num_vals: 3 });
  t.same(meta(withAttribute(f(), new NumericAttribute({ name: 'n', min: 0, max: 2.5 }))), { name: 'n', min: 0, max: 2.5 });
  t.same(meta(withAttribute(f(), new BinaryAttribute({ values: ['no', 'yes'] }))), { type: 'binary', name: 'c', vals: ['no', 'yes'] });
  t.equal(withAttribute(f(), UnresolvedAttribute.instance).metadata.size, 0);
  const other = new arrow.Field('c', new arrow.Float64(), true, new Map([['other', 'kept']]));
  t.equal(withAttribute(other, new NumericAttribute()).metadata.get('other'), 'kept', 'other metadata keys are kept');
  const back = attributeOf(withAttribute(f('y'), new NominalAttribute({ values: ['p', 'q'], isOrdinal: true })));
  t.ok(back instanceof NominalAttribute);
  t.same([back.name, (back as NominalAttribute).values, (back as NominalAttribute).isOrdinal, (back as NominalAttribute).getNumValues()], ['y', ['p', 'q'], true, 2]);
  t.ok(attributeOf(f()) instanceof UnresolvedAttribute);
  t.equal(new NominalAttribute({ values: ['a'] }).withNumValues(4).values, undefined, 'withNumValues clears the values, as Spark');
});

t.test('a group: attrs by type with idx, default numerics left out, num_attrs; read back', async (t) => {
  const g = new AttributeGroup('features', [new NumericAttribute(), new NominalAttribute({ name: 'color', values: ['r', 'g'] }), new BinaryAttribute({ name: 'flag' }), new NumericAttribute({ name: 'size' })]);
  const field = g.toField(new arrow.Float64());
  t.same(meta(field), { attrs: { numeric: [{ name: 'size', idx: 3 }], nominal: [{ name: 'color', idx: 1, vals: ['r', 'g'] }], binary: [{ name: 'flag', idx: 2 }] }, num_attrs: 4 });
  const back = AttributeGroup.fromField(field);
  t.equal(back.name, 'features');
  t.equal(back.size, 4);
  t.ok(back.getAttr(0) instanceof NumericAttribute);
  t.same((back.getAttr(1) as NominalAttribute).values, ['r', 'g']);
  t.equal(back.getAttr(2).name, 'flag');
  t.same(meta(new AttributeGroup('v', 7).toField(new arrow.Float64())), { num_attrs: 7 });
  t.equal(AttributeGroup.fromField(f()).size, -1);
  // as Spark's VectorAssembler writes it (keys in another order; doubles as Spark writes them)
  const spark = new arrow.Field('features', new arrow.Float64(), true, new Map([[ATTRIBUTE_KEY, '{"num_attrs":2,"attrs":{"numeric":[{"idx":0,"name":"a"}],"binary":[{"idx":1,"name":"b_x","vals":["0","1"]}]}}']]));
  const sg = AttributeGroup.fromField(spark);
  t.same([sg.getAttr(0).name, sg.getAttr(1).name, (sg.getAttr(1) as BinaryAttribute).values], ['a', 'b_x', ['0', '1']]);
  t.throws(() => sg.getAttr(5), /AttributeGroup\.getAttr: expected 0\.\.1 for index, got 5/);
});

t.test('bad metadata is a coded error naming the column', async (t) => {
  const bad = (text: string) => new arrow.Field('col', new arrow.Float64(), true, new Map([[ATTRIBUTE_KEY, text]]));
  t.throws(() => attributeOf(bad('{')), { code: 'ERR_KINDLING_SCHEMA', message: /the ml_attr metadata of column col is not JSON/ });
  t.throws(() => attributeOf(bad('[1]')), /of column col is not a JSON object/);
  t.throws(() => attributeOf(bad('{"type":"weird"}')), /unknown attribute type "weird"/);
  t.throws(() => AttributeGroup.fromField(bad('{"attrs":{"numeric":[{"idx":5}]},"num_attrs":2}')), /an attribute of column col has index 5, outside \[0, 2\)/);
  t.throws(() => withAttribute(f(), {} as never), /withAttribute: expected a NumericAttribute, NominalAttribute, BinaryAttribute or UnresolvedAttribute for attr/);
});
