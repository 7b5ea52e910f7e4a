// ml.linalg: vectors and matrices against hand computations and the examples of Spark's
// (Py)Spark docs (toString forms, norms, dot products, squared distances, CSC layout), and
// their Arrow column forms: dense FixedSizeList vs Spark's VectorUDT struct, the zero-copy
// dense view, collect() returning vector objects, createDataFrame inference, partition slicing.
import t from 'tap';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { Session, col } from '../../ts/src/index.js';
import { Types } from '../../ts/src/dataframe/types.js';
import {
  DenseVector, SparseVector, Vectors, DenseMatrix, SparseMatrix, Matrices, isVector,
  vectorColumn, denseVectorColumn, vectorsFromColumn, vectorAt, denseVectorValues, vectorElementAt, vectorSizeAt,
} from '../../ts/ml/index.js';

const SHARED = fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url));
const spark = await Session.builder().appName('linalg-test').master('local[2]').getOrCreate();
t.teardown(() => spark.stop());

t.test('DenseVector: size, elements, toString with Java double digits, toArray is the backing array', async (t) => {
  const v = Vectors.dense([1, 2, 3]);
  t.equal(v.size, 3);
  t.equal(v.apply(1), 2);
  t.equal(v.get(2), 3);
  t.equal(String(v), '[1.0,2.0,3.0]');
  t.equal(v.toArray(), v.values, 'Spark returns the backing array');
  t.same(Array.from(Vectors.dense(4, 5)), [4, 5], 'varargs form');
  t.equal(String(Vectors.dense([0.1, 1e21, 1e-5, -0, NaN, Infinity, 123456789])), '[0.1,1.0E21,1.0E-5,-0.0,NaN,Infinity,1.23456789E8]');
  t.equal(String(Vectors.dense([])), '[]');
  t.throws(() => v.apply(3), /DenseVector.apply: expected an integer in \[0, 3\) for index, got 3/);
  t.throws(() => new DenseVector(['a'] as never), /DenseVector: expected a number for values\[0\]/);
});

t.test('SparseVector: Spark validation, lookups and the (size,[indices],[values]) form', async (t) => {
  const v = Vectors.sparse(4, [1, 3], [1.0, 5.5]);
  t.equal(String(v), '(4,[1,3],[1.0,5.5])');
  t.equal(String(Vectors.sparse(4, [[3, 5.5], [1, 1.0]])), '(4,[1,3],[1.0,5.5])', 'pairs are sorted by index');
  t.equal(String(Vectors.sparse(4, { 1: 1.0, 3: 5.5 })), '(4,[1,3],[1.0,5.5])', 'dict form as PySpark');
  t.same([0, 1, 2, 3].map((i) => v.apply(i)), [0, 1, 0, 5.5]);
  t.same(Array.from(v.toArray()), [0, 1, 0, 5.5]);
  t.equal(v.numActives, 2);
  t.throws(() => new SparseVector(4, [1, 1], [1, 2]), /indices\[1\], got 1.*strictly increasing|expected an index > 1 \(indices must be strictly increasing\)/);
  t.throws(() => new SparseVector(4, [2, 1], [1, 2]), /expected an index > 2 \(indices must be strictly increasing\) for indices\[1\], got 1/);
  t.throws(() => new SparseVector(4, [4], [1]), /expected an index < size 4 for indices\[0\], got 4/);
  t.throws(() => new SparseVector(4, [-1], [1]), /expected an index >= 0 for indices\[0\], got -1/);
  t.throws(() => new SparseVector(4, [0, 1], [1]), /expected the number of indices \(2\).*for values.length, got 1/);
  t.throws(() => Vectors.sparse(4, [[1, 1], [1, 2]]), /expected distinct indices for elements, got 1/);
  t.throws(() => v.apply(4), /SparseVector.apply: expected an integer in \[0, 4\) for index, got 4/);
});

t.test('dot, norms and squared distances (PySpark doc values and hand computations)', async (t) => {
  const a = Vectors.dense([0, -1, 2, -3]);
  t.equal(a.norm(2), Math.sqrt(14), 'PySpark: 3.7416573867739413');
  t.equal(a.norm(2), 3.7416573867739413);
  t.equal(a.norm(1), 6.0);
  t.equal(a.norm(Infinity), 3);
  t.equal(a.norm(3), Math.pow(1 + 8 + 27, 1 / 3));
  const s = Vectors.sparse(4, [1, 3], [3.0, 4.0]);
  t.equal(s.norm(1), 7.0);
  t.equal(s.norm(2), 5.0);
  t.equal(Vectors.norm(s, Infinity), 4);
  t.throws(() => Vectors.norm(a, 0.5), /Vectors.norm: expected a number >= 1 for p, got 0.5/);
  const d = Vectors.dense([1, 2, 3, 4]);
  t.equal(s.dot(d), 22.0, 'PySpark SparseVector.dot: 3*2 + 4*4');
  t.equal(d.dot(s), 22.0);
  t.equal(d.dot(d), 30);
  t.equal(s.dot(Vectors.sparse(4, [0, 3], [9, 2])), 8);
  t.throws(() => d.dot(Vectors.dense([1, 2])), /DenseVector.dot: expected the same size as this vector \(4\) for other.size, got 2/);
  const x = Vectors.sparse(4, [[0, 1], [3, 4]]);
  const y = Vectors.dense([2, 5, 4, 1]);
  t.equal(Vectors.sqdist(x, y), 51.0, 'PySpark squared_distance: 1 + 25 + 16 + 9');
  t.equal(Vectors.sqdist(y, x), 51.0);
  t.equal(x.squaredDistance(Vectors.sparse(4, [1, 3], [5, 1])), 1 + 25 + 9);
  t.equal(Vectors.sqdist(y, Vectors.dense([0, 0, 0, 0])), 4 + 25 + 16 + 1);
});

t.test('numNonzeros, toSparse/toDense, compressed (Spark: sparse iff 1.5 * (nnz + 1) < size), equals, argmax, JSON', async (t) => {
  const d = Vectors.dense([0, 3, 0, NaN, -0]);
  t.equal(d.numNonzeros, 2, 'NaN counts as non-zero, -0.0 does not');
  t.equal(String(d.toSparse()), '(5,[1,3],[3.0,NaN])');
  const sparseish = Vectors.dense([0, 0, 0, 0, 0, 0, 1, 0, 0, 2]);
  t.ok(sparseish.compressed instanceof SparseVector, '1.5 * 3 = 4.5 < 10');
  t.ok(Vectors.dense([1, 0, 0, 2]).compressed instanceof DenseVector, '1.5 * 3 = 4.5 >= 4');
  t.ok(Vectors.sparse(3, [0, 2], [1, 2]).compressed instanceof DenseVector);
  t.equal(String(Vectors.sparse(3, [0, 2], [1, 2]).toDense()), '[1.0,0.0,2.0]');
  t.ok(Vectors.dense([1, 0, 2]).equals(Vectors.sparse(3, [0, 2], [1, 2])), 'dense equals sparse with the same entries');
  t.ok(Vectors.sparse(3, [0, 1, 2], [1, 0, 2]).equals(Vectors.sparse(3, [0, 2], [1, 2])), 'explicit zeros do not matter');
  t.notOk(Vectors.dense([1, 0, 2]).equals(Vectors.dense([1, 0, 2, 0])), 'sizes differ');
  t.notOk(Vectors.dense([1, 0, 2]).equals([1, 0, 2]));
  t.equal(Vectors.dense([1, 7, 7, 2]).argmax(), 1);
  t.equal(Vectors.sparse(4, [1], [-1]).argmax(), 0, 'an implicit zero beats -1');
  t.equal(Vectors.dense([1, 2]).toJson(), '{"type":1,"values":[1,2]}');
  t.equal(Vectors.sparse(3, [1], [2.5]).toJson(), '{"type":0,"size":3,"indices":[1],"values":[2.5]}');
  t.ok(Vectors.fromJson('{"type":0,"size":3,"indices":[1],"values":[2.5]}').equals(Vectors.sparse(3, [1], [2.5])));
  t.throws(() => Vectors.fromJson('{"type":3}'), /Vectors.fromJson: expected a JSON vector/);
  t.equal(Vectors.zeros(3).numNonzeros, 0);
  t.ok(isVector(Vectors.zeros(1)));
  const c = d.copy();
  c.values[1] = 9;
  t.equal(d.values[1], 3, 'copy() does not share the array');
});

t.test('DenseMatrix: column-major storage, transpose view, multiply, Breeze-style toString', async (t) => {
  const m = Matrices.dense(2, 3, [1, 2, 3, 4, 5, 6]); // [[1,3,5],[2,4,6]]
  t.same(m.toRows(), [[1, 3, 5], [2, 4, 6]]);
  t.equal(m.apply(0, 1), 3);
  t.equal(m.apply(1, 2), 6);
  t.equal(m.index(1, 2), 5);
  t.equal(String(m), '1.0  3.0  5.0  \n2.0  4.0  6.0  ');
  const mt = m.transpose();
  t.equal(mt.isTransposed, true);
  t.equal(mt.numRows, 3);
  t.same(mt.toRows(), [[1, 2], [3, 4], [5, 6]]);
  t.equal(mt.values, m.values, 'transpose shares the values');
  t.same(Array.from(mt.toArray()), [1, 3, 5, 2, 4, 6], 'toArray is column-major');
  t.same(Array.from(m.multiply(Vectors.dense([1, 1, 1])).values), [9, 12]);
  t.same(Array.from(m.multiply(Vectors.sparse(3, [2], [2])).values), [10, 12]);
  t.same(Array.from(mt.multiply(Vectors.dense([1, -1])).values), [-1, -1, -1]);
  t.same(m.multiply(mt).toRows(), [[35, 44], [44, 56]], 'A · Aᵀ');
  t.throws(() => m.multiply(Vectors.dense([1, 2])), /DenseMatrix.multiply: expected numCols \(3\) for vector.size, got 2/);
  t.throws(() => Matrices.dense(2, 2, [1, 2, 3]), /DenseMatrix: expected numRows \* numCols = 4 for values.length, got 3/);
  t.throws(() => m.apply(2, 0), /DenseMatrix.apply: expected a row index in \[0, 2\) for i, got 2/);
  t.same(Matrices.eye(2).toRows(), [[1, 0], [0, 1]]);
  t.same(Matrices.zeros(1, 2).toRows(), [[0, 0]]);
  t.same(Matrices.ones(1, 2).toRows(), [[1, 1]]);
  t.same(Matrices.diag(Vectors.dense([2, 3])).toRows(), [[2, 0], [0, 3]]);
  t.equal(m.numNonzeros, 6);
  t.ok(m.equals(mt.transpose()));
  t.notOk(m.equals(mt));
});

t.test('SparseMatrix: CSC colPtrs/rowIndices (the Spark doc example), CSR when transposed, fromCOO', async (t) => {
  // Spark's doc: Matrices.sparse(3, 2, Array(0, 1, 3), Array(0, 2, 1), Array(9, 6, 8)) is [[9,0],[0,8],[0,6]]
  const s = Matrices.sparse(3, 2, [0, 1, 3], [0, 2, 1], [9, 6, 8]);
  t.same(s.toRows(), [[9, 0], [0, 8], [0, 6]]);
  t.same(Array.from(s.toArray()), [9, 0, 0, 0, 8, 6]);
  t.equal(s.apply(2, 1), 6);
  t.equal(s.apply(1, 0), 0);
  t.equal(s.numActives, 3);
  t.same(Array.from(s.multiply(Vectors.dense([1, 2])).values), [9, 16, 12]);
  const st = s.transpose();
  t.same(st.toRows(), [[9, 0, 0], [0, 8, 6]]);
  t.equal(st.apply(1, 2), 6);
  t.same(Array.from(st.multiply(Vectors.dense([1, 1, 1])).values), [9, 14]);
  t.ok(s.equals(s.toDense()));
  t.ok(s.toDense().toSparse().equals(s));
  t.same(Array.from(s.toDense().toSparse().colPtrs), [0, 1, 3]);
  t.same(Array.from(s.toDense().toSparse().rowIndices), [0, 1, 2], 'toSparse sorts rows within a column');
  // Spark's Matrix.toString is asBreeze.toString: a SparseMatrix prints as Breeze's CSCMatrix, entries in stored order
  t.equal(String(s), '3 x 2 CSCMatrix\n(0,0) 9.0\n(2,1) 6.0\n(1,1) 8.0');
  const coo = SparseMatrix.fromCOO(2, 2, [[1, 1, 2], [0, 0, 1], [1, 1, 3]]);
  t.same(coo.toRows(), [[1, 0], [0, 5]], 'duplicates are summed');
  t.same(Matrices.speye(2).toRows(), [[1, 0], [0, 1]]);
  t.same(s.multiply(Matrices.dense(2, 1, [1, 1])).toRows(), [[9], [8], [6]]);
  t.throws(() => Matrices.sparse(3, 2, [0, 1], [0], [1]), /SparseMatrix: expected numCols \+ 1 = 3 for colPtrs.length, got 2/);
  t.same(Matrices.sparse(2, 1, [0, 2], [1, 0], [1, 2]).toRows(), [[2], [1]], 'unsorted row indices within a column are accepted, as Spark');
  t.equal(Matrices.sparse(2, 1, [0, 2], [1, 0], [1, 2]).apply(0, 0), 2);
  t.throws(() => Matrices.sparse(2, 1, [0, 1], [2], [1]), /expected an index in \[0, 2\) for rowIndices\[0\], got 2/);
  t.ok(new DenseMatrix(1, 1, [5]).equals(new SparseMatrix(1, 1, [0, 1], [0], [5])));
});

t.test('vectorColumn: dense FixedSizeList when all dense of one size, else the VectorUDT struct as Spark writes it', async (t) => {
  const dense = vectorColumn([Vectors.dense([1, 2]), null, Vectors.dense([3, 4])]);
  t.equal(String(dense.type), String(Types.vector(2)));
  t.equal(dense.nullCount, 1);
  t.same(Array.from(dense.children[0]!.values as Float64Array), [1, 2, 0, 0, 3, 4], 'one contiguous n * d buffer, zeros for null rows');
  const st = vectorColumn([Vectors.dense([1, 2]), Vectors.sparse(3, [1], [7]), null]);
  t.equal(String(st.type), String(Types.vectorStruct()));
  const vec = arrow.makeVector(st);
  t.same(vec.get(0)!.toJSON(), { type: 1, size: null, indices: null, values: vec.get(0)!.values }, 'dense row: type 1, size and indices null');
  t.same(Array.from(vec.get(0)!.values), [1, 2]);
  t.equal(vec.get(1)!.type, 0, 'sparse row: type 0');
  t.equal(vec.get(1)!.size, 3);
  t.same(Array.from(vec.get(1)!.indices), [1]);
  t.same(Array.from(vec.get(1)!.values), [7]);
  t.equal(vec.get(2), null);
  t.equal(String(vectorColumn([Vectors.dense([1]), Vectors.dense([1, 2])]).type), String(Types.vectorStruct()), 'two sizes need the struct');
  t.same(vectorsFromColumn(st).map(String), ['[1.0,2.0]', '(3,[1],[7.0])', 'null']);
  t.same(vectorsFromColumn(dense).map(String), ['[1.0,2.0]', 'null', '[3.0,4.0]']);
  t.equal(vectorSizeAt(st, 1), 3);
  t.equal(vectorElementAt('t', st, 1, 1), 7);
  t.equal(vectorElementAt('t', st, 1, 2), 0);
  t.equal(vectorElementAt('t', dense, 2, 1), 4);
  t.throws(() => vectorElementAt('t', dense, 2, 2), /t: expected an index < the vector size 2 for vector index, got 2/);
  const forced = vectorColumn([Vectors.sparse(2, [1], [5])], 'dense');
  t.same(vectorsFromColumn(forced).map(String), ['[0.0,5.0]']);
  t.equal(String(vectorColumn([Vectors.dense([1])], 'struct').type), String(Types.vectorStruct()));
  t.throws(() => vectorColumn([Vectors.dense([1]), Vectors.dense([1, 2])], 'dense'), /expected the size of the first vector \(1\) for a dense column for vectors\[1\].size, got 2/);
  t.throws(() => vectorColumn([[1, 2]] as never), /vectorColumn: expected a DenseVector, SparseVector or null for vectors\[0\]/);
});

t.test('denseVectorValues: a zero-copy view of a dense column (also a sliced one), a densified copy of a struct column', async (t) => {
  const values = Float64Array.from([1, 2, 3, 4, 5, 6]);
  const d = denseVectorColumn(values, 2);
  const view = denseVectorValues(d);
  t.equal(view.values.buffer, values.buffer, 'same buffer');
  t.equal(view.zeroCopy, true);
  t.equal(view.rows, 3);
  t.equal(view.dim, 2);
  const sliced = denseVectorValues(d.slice(1, 2) as never);
  t.same(Array.from(sliced.values), [3, 4, 5, 6]);
  t.equal(sliced.values.buffer, values.buffer);
  const st = vectorColumn([Vectors.sparse(3, [2], [1]), Vectors.dense([4, 5, 6]), null]);
  const copy = denseVectorValues(st);
  t.same(Array.from(copy.values), [0, 0, 1, 4, 5, 6, 0, 0, 0]);
  t.same(Array.from(copy.valid!), [1, 1, 0]);
  t.equal(copy.zeroCopy, false);
  t.same(vectorsFromColumn(st.slice(1, 2) as never).map(String), ['[4.0,5.0,6.0]', 'null'], 'a sliced struct column reads its own rows');
  t.throws(() => denseVectorValues(vectorColumn([Vectors.dense([1]), Vectors.sparse(2, [0], [1])])), /row 1 of the vector column has size 2, but earlier rows have size 1/);
  t.throws(() => denseVectorValues(d, 3), /denseVectorValues: expected the column's vector size 2 for dim, got 3/);
  t.throws(() => vectorAt(arrow.makeVector(Float64Array.from([1])).data[0]! as never, 0), /vectorAt: expected a vector column, got double/);
});

t.test('DataFrames: createDataFrame infers the vector forms, collect() returns vector objects, slicing keeps rows', async (t) => {
  const df = spark.createDataFrame([
    { id: 1, v: Vectors.dense(1, 2) },
    { id: 2, v: Vectors.dense(3, 4) },
    { id: 3, v: null },
    { id: 4, v: Vectors.dense(7, 8) },
  ]);
  t.equal(String(df.schema.fields[1]!.type), String(Types.vector(2)), 'dense vectors of one size → FixedSizeList');
  t.ok((await df.partitions()).length > 1, 'local[2] slices the rows into partitions');
  const rows = await df.collect();
  t.ok(rows[0]!.v instanceof DenseVector);
  t.same(rows.map((r) => (r.v === null ? null : String(r.v))), ['[1.0,2.0]', '[3.0,4.0]', null, '[7.0,8.0]']);
  const sorted = await df.orderBy(col('id').desc()).collect();
  t.same(sorted.map((r) => (r.v === null ? null : String(r.v))), ['[7.0,8.0]', null, '[3.0,4.0]', '[1.0,2.0]'], 'take over sliced FixedSizeList partitions');
  const both = await df.union(df).orderBy('id').collect();
  t.same(both.map((r) => String(r.v)), ['[1.0,2.0]', '[1.0,2.0]', '[3.0,4.0]', '[3.0,4.0]', 'null', 'null', '[7.0,8.0]', '[7.0,8.0]']);
  const mixed = spark.createDataFrame([{ v: Vectors.sparse(3, [0, 2], [1, 3]) }, { v: Vectors.dense([1, 2]) }, { v: null }]);
  t.equal(String(mixed.schema.fields[0]!.type), String(Types.vectorStruct()), 'sparse or several sizes → VectorUDT struct');
  t.same(mixed.dtypes, [['v', 'vector']]);
  const m = await mixed.collect();
  t.ok(m[0]!.v instanceof SparseVector);
  t.same(m.map((r) => (r.v === null ? null : String(r.v))), ['(3,[0,2],[1.0,3.0])', '[1.0,2.0]', null]);
  t.equal(await mixed.showString(), '+-------------------+\n|                  v|\n+-------------------+\n|(3,[0,2],[1.0,3.0])|\n|          [1.0,2.0]|\n|               null|\n+-------------------+\n');
  const ddl = spark.createDataFrame([[Vectors.dense(1, 2)], [Vectors.sparse(2, [1], [5])]], 'features vector');
  t.same((await ddl.collect()).map((r) => String(r.features)), ['[1.0,2.0]', '(2,[1],[5.0])'], "the DDL type 'vector' is the struct");
  const typed = spark.createDataFrame([{ v: Float64Array.from([1, 2]) }]);
  t.same((await typed.collect()).map((r) => String(r.v)), ['[1.0,2.0]'], 'Float64Arrays are dense vectors');
});

t.test('Spark-written VectorUDT Parquet (KMeans 3.3.1 centres) collects as DenseVector objects', async (t) => {
  const df = await spark.read.parquet(join(SHARED, 'spark-models/kmeans-k100-3.3.1/data'));
  const rows = (await df.orderBy('clusterIdx').collect()).slice(0, 3);
  t.ok(rows[0]!.clusterCenter instanceof DenseVector);
  t.same(Array.from((rows[0]!.clusterCenter as DenseVector).values), [52.978420970234396, 6.480178124527063]);
  t.same(Array.from((rows[2]!.clusterCenter as DenseVector).values), [19.77519216767, -98.92968236162]);
  const view = denseVectorValues((await df.orderBy('clusterIdx').partitions())[0]!.getChild('clusterCenter')!.data[0]! as never);
  t.equal(view.dim, 2);
  t.same(Array.from(view.values.subarray(0, 2)), [52.978420970234396, 6.480178124527063]);
});
