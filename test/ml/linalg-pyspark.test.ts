// ml.linalg as PySpark users know it (issue 14, area vectors): the pyspark.ml.linalg docstrings —
// DenseVector arithmetic, dot / squared_distance with plain arrays, Vectors.sparse's three
// forms, norms, numNonzeros, matrix conversions and the printed forms — and the size errors.
import t from 'tap';
import { inspect } from 'node:util';
import { DenseVector, SparseVector, Vectors, DenseMatrix, SparseMatrix } from '../../ts/ml/index.js';

const arr = (v: DenseVector) => Array.from(v.toArray());

t.test('DenseVector arithmetic (PySpark docstring): v + u, 2 - v, v / 2, v * u, u / v, u % 2, -v', async (t) => {
  const v = Vectors.dense([1.0, 2.0]);
  const u = Vectors.dense([3.0, 4.0]);
  t.equal(inspect(v.add(u)), 'DenseVector([4.0, 6.0])');
  t.equal(inspect(v.rsubtract(2)), 'DenseVector([1.0, 0.0])');
  t.equal(inspect(v.divide(2)), 'DenseVector([0.5, 1.0])');
  t.equal(inspect(v.multiply(u)), 'DenseVector([3.0, 8.0])');
  t.equal(inspect(u.divide(v)), 'DenseVector([3.0, 2.0])');
  t.equal(inspect(u.mod(2)), 'DenseVector([1.0, 0.0])');
  t.equal(inspect(v.negate()), 'DenseVector([-1.0, -2.0])');
  t.same(arr(u.subtract(v)), [2, 2]);
  t.same(arr(u.subtract([1, 1])), [2, 3], 'a plain array');
  t.same(arr(u.add(Vectors.sparse(2, [1], [1]))), [3, 5], 'a sparse vector');
  t.same(arr(Vectors.dense([7, -7]).floorDivide(2)), [3, -4], "Python's floor division");
  t.same(arr(Vectors.dense([7, -7]).mod(-3)), [-2, -1], "Python's modulo takes the divisor's sign");
  t.same(arr(v.rdivide(1)), [1, 0.5]);
  t.ok(v.add(u) instanceof DenseVector);
  t.same(arr(v), [1, 2], 'operands are left alone');
  t.throws(() => v.add([1, 2, 3]), { code: 'ERR_KINDLING_INVALID_ARG', message: /DenseVector\.add: expected the same size as this vector \(2\) for other\.size, got 3/ });
  t.throws(() => v.multiply('x' as never), /DenseVector\.multiply/);
});

t.test('dot and squared_distance accept vectors and plain arrays (PySpark docstrings)', async (t) => {
  const dense = Vectors.dense([1.0, 2.0]);
  t.equal(dense.dot(dense), 5.0);
  t.equal(dense.dot(new SparseVector(2, [0, 1], [2.0, 1.0])), 4.0);
  t.equal(dense.dot([1, 2]), 5.0);
  t.throws(() => dense.dot([1.0]), { code: 'ERR_KINDLING_INVALID_ARG', message: /DenseVector\.dot: expected the same size as this vector \(2\) for other\.size, got 1/ });
  t.equal(dense.squaredDistance(dense), 0.0);
  t.equal(dense.squaredDistance([2.0, 1.0]), 2.0);
  t.equal(dense.squaredDistance(new SparseVector(2, [0, 1], [2.0, 1.0])), 2.0);
  t.throws(() => dense.squaredDistance([1.0]), /got 1/);
  const a = new SparseVector(4, [1, 3], [3.0, 4.0]);
  t.equal(a.dot(a), 25.0);
  t.equal(a.dot(Float64Array.of(1, 2, 3, 4)), 22.0);
  t.equal(a.dot(new SparseVector(4, [2], [1.0])), 0.0);
  t.throws(() => a.dot([1.0, 2.0, 3.0]), /SparseVector\.dot: expected the same size as this vector \(4\) for other\.size, got 3/);
  t.equal(a.squaredDistance(a), 0.0);
  t.equal(a.squaredDistance([1.0, 2.0, 3.0, 4.0]), 11.0);
  const b = new SparseVector(4, [2], [1.0]);
  t.equal(a.squaredDistance(b), 26.0);
  t.equal(b.squaredDistance(a), 26.0);
  // Vectors.squared_distance docstring
  t.equal(Vectors.squared_distance(Vectors.sparse(4, [[0, 1], [3, 4]]), Vectors.dense([2, 5, 4, 1])), 51.0);
  t.equal(Vectors.squaredDistance([1, 2], [3, 4]), 8);
});

t.test('Vectors.sparse forms, norms, numNonzeros, printing (PySpark docstrings)', async (t) => {
  for (const v of [Vectors.sparse(4, { 1: 1.0, 3: 5.5 }), Vectors.sparse(4, [[1, 1.0], [3, 5.5]]), Vectors.sparse(4, [1, 3], [1.0, 5.5])]) {
    t.equal(inspect(v), 'SparseVector(4, {1: 1.0, 3: 5.5})');
    t.equal(String(v), '(4,[1,3],[1.0,5.5])');
  }
  t.equal(String(Vectors.dense([1.0, 2.0])), '[1.0,2.0]');
  const d = new DenseVector([0, -1, 2, -3]);
  t.equal(d.norm(1), 6.0);
  t.ok(Math.abs(d.norm(2) - 3.7416573867739413) < 1e-15);
  t.equal(Vectors.norm(d, Infinity), 3);
  const s = new SparseVector(4, [0, 1], [3.0, -4.0]);
  t.equal(s.norm(1), 7.0);
  t.equal(s.norm(2), 5.0);
  t.equal(Vectors.dense([0.0, 1.0, 2.0, 0.0]).numNonzeros, 2);
  t.equal(Vectors.sparse(3, [0, 1], [0.0, 2.0]).numNonzeros, 1);
  t.same(Array.from(Vectors.zeros(3).toArray()), [0, 0, 0]);
});

t.test('matrices: toArray, transpose, toSparse / toDense, printing (PySpark docstrings)', async (t) => {
  const m = new DenseMatrix(2, 2, [0, 1, 2, 3]);
  t.same(m.toRows(), [[0, 2], [1, 3]], 'PySpark toArray: [[0, 2], [1, 3]]');
  t.same(Array.from(m.toArray()), [0, 1, 2, 3], 'column-major values');
  t.equal(inspect(m), 'DenseMatrix(2, 2, [0.0, 1.0, 2.0, 3.0], False)');
  t.same(m.transpose().toRows(), [[0, 1], [2, 3]]);
  const sm = new SparseMatrix(2, 2, [0, 2, 3], [0, 1, 1], [2, 3, 4]);
  t.equal(inspect(sm), 'SparseMatrix(2, 2, [0, 2, 3], [0, 1, 1], [2.0, 3.0, 4.0], False)');
  t.same(sm.toRows(), [[2, 0], [3, 4]]);
  t.same(sm.toDense().toRows(), [[2, 0], [3, 4]]);
  const back = new DenseMatrix(2, 2, [1, 2, 0, 0]).toSparse();
  t.equal(inspect(back), 'SparseMatrix(2, 2, [0, 2, 2], [0, 1], [1.0, 2.0], False)');
  t.same(sm.transpose().toRows(), [[2, 3], [0, 4]]);
  // Spark's toString (asBreeze.toString): Breeze's CSCMatrix form for sparse (PySpark's str says "2 X 2"), rows for dense
  t.equal(String(sm), '2 x 2 CSCMatrix\n(0,0) 2.0\n(1,0) 3.0\n(1,1) 4.0');
  t.equal(String(sm.transpose()), '2 x 2 CSCMatrix\n(0,0) 2.0\n(0,1) 3.0\n(1,1) 4.0', 'a transposed (CSR) matrix lists column-major entries');
  t.equal(String(m), '0.0  2.0  \n1.0  3.0  ');
});
