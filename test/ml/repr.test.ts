// What console.log prints for ML values: PySpark's reprs of vectors and matrices (floats to 4
// digits, long matrices cut to 8 + 8 entries), stages by uid, models and summaries by their numbers;
// show() renders a matrix column as Spark's DenseMatrix.toString.
import t from 'tap';
import { inspect } from 'node:util';
import * as arrow from 'apache-arrow';
import { Session } from '../../ts/src/index.js';
import { BisectingKMeans, ClusteringSummary, DenseMatrix, GaussianMixture, KMeans, SparseMatrix, Vectors } from '../../ts/ml/index.js';
import { showString } from '../../ts/src/dataframe/show.js';
import { fromValues, makeBatch } from '../../ts/src/dataframe/batch.js';
import { formatFloat, pyFloat } from '../../ts/ml/linalg/repr.js';

t.test('vectors and matrices print as PySpark reprs', async (t) => {
  t.equal(inspect(Vectors.dense(1, 2)), 'DenseVector([1.0, 2.0])');
  t.equal(inspect(Vectors.dense(0.123456, -2.5, 1e20)), 'DenseVector([0.1235, -2.5, 1e+20])');
  t.equal(inspect(Vectors.sparse(4, [1, 3], [1.0, 5.5])), 'SparseVector(4, {1: 1.0, 3: 5.5})');
  t.equal(inspect(new DenseMatrix(2, 2, [1, 2, 3, 4])), 'DenseMatrix(2, 2, [1.0, 2.0, 3.0, 4.0], False)');
  t.equal(inspect(new SparseMatrix(2, 2, [0, 1, 2], [0, 1], [1, 2], true)), 'SparseMatrix(2, 2, [0, 1, 2], [0, 1], [1.0, 2.0], True)');
  t.equal(inspect(new DenseMatrix(1, 20, Array.from({ length: 20 }, (_, i) => i))), 'DenseMatrix(1, 20, [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, ..., 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0], False)');
  t.equal(String(Vectors.dense(1, 2)), '[1.0,2.0]', "toString stays Spark's");
  t.same([pyFloat(1), pyFloat(0.1), pyFloat(1e-5), pyFloat(1e16), pyFloat(NaN), pyFloat(-Infinity), formatFloat(2.00005), formatFloat(-0.00001)], ['1.0', '0.1', '1e-05', '1e+16', 'nan', '-inf', '2.0001', '0.0']);
});

t.test('stages, models and summaries print short', async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  t.teardown(() => spark.stop());
  const km = new KMeans({ k: 2, seed: 1 });
  t.match(inspect(km), /^KMeans_[0-9a-f]{12}$/);
  const df = spark.createDataFrame([{ features: Vectors.dense(0, 0) }, { features: Vectors.dense(0, 1) }, { features: Vectors.dense(9, 9) }, { features: Vectors.dense(9, 8) }]);
  const model = await km.fit(df);
  t.match(inspect(model), /^KMeansModel: uid=KMeans_[0-9a-f]{12}, k=2, distanceMeasure=euclidean, numFeatures=2$/);
  t.equal(inspect(model.summary), `KMeansSummary(k=2, numIter=${model.summary.numIter}, trainingCost=1, clusterSizes=[2, 2])`);
  const bkm = await new BisectingKMeans({ k: 2, seed: 1 }).fit(df);
  t.equal(inspect(bkm.summary), `BisectingKMeansSummary(k=2, numIter=20, trainingCost=1, clusterSizes=[2, 2])`);
  const gmm = await new GaussianMixture({ k: 2, seed: 1, maxIter: 3 }).fit(df);
  const g = gmm.summary;
  t.equal(inspect(g), `GaussianMixtureSummary(k=2, numIter=3, logLikelihood=${g.logLikelihood}, clusterSizes=[${g.clusterSizes.join(', ')}])`);
  t.equal(g.clusterSizes.reduce((a, b) => a + b, 0), 4);
  t.ok(model.summary instanceof ClusteringSummary && bkm.summary instanceof ClusteringSummary && g instanceof ClusteringSummary, "all three extend Spark's ClusteringSummary");
  t.same(g.cluster.columns, ['prediction'], 'cluster: the prediction column alone');
  t.match(inspect(km.k), /^Param\(parent='KMeans_[0-9a-f]{12}', name='k', doc='The number of clusters to create. Must be > 1.'\)$/);
});

t.test("show() renders a matrix column as Spark's DenseMatrix.toString", async (t) => {
  const mType = new arrow.Struct([
    new arrow.Field('type', new arrow.Int8(), false), new arrow.Field('numRows', new arrow.Int32(), false), new arrow.Field('numCols', new arrow.Int32(), false),
    new arrow.Field('colPtrs', new arrow.List(new arrow.Field('element', new arrow.Int32(), false)), true),
    new arrow.Field('rowIndices', new arrow.List(new arrow.Field('element', new arrow.Int32(), false)), true),
    new arrow.Field('values', new arrow.List(new arrow.Field('element', new arrow.Float64(), false)), true),
    new arrow.Field('isTransposed', new arrow.Bool(), false),
  ]);
  const dense = { type: 1, numRows: 2, numCols: 2, colPtrs: null, rowIndices: null, values: [1, 0.5, 10, 2], isTransposed: false };
  const sparse = { type: 0, numRows: 2, numCols: 2, colPtrs: [0, 1, 2], rowIndices: [1, 0], values: [3, 4], isTransposed: false };
  const batch = makeBatch(new arrow.Schema([new arrow.Field('m', mType, true)]), [fromValues(mType, [dense, sparse])], 2);
  const text = showString(batch, 20, 0, false);
  // Spark pads by the cell's character count, the newline included (Utils.stringHalfWidth)
  t.equal(text, [
    '+-----------------------+',
    '|m                      |',
    '+-----------------------+',
    '|1.0  10.0  \n0.5  2.0   |',
    '|0.0  4.0  \n3.0  0.0    |',
    '+-----------------------+',
    '',
  ].join('\n'));
  t.equal(String(new DenseMatrix(2, 2, [1, 0.5, 10, 2])), '1.0  10.0  \n0.5  2.0   ');
});
