/**
 * `kindling/ml` linear algebra: Spark's ml.linalg vectors and matrices, and their Arrow column
 * forms. Importing it installs the vector decoder, so `DataFrame.collect()` returns
 * DenseVector/SparseVector objects for vector columns.
 */
export { DenseVector, SparseVector, Vectors, isVector, type Vector, type VectorLike } from './vectors.js';
export { DenseMatrix, SparseMatrix, Matrices, type Matrix } from './matrices.js';
export {
  vectorColumn, denseVectorColumn, vectorStructColumn, vectorAt, vectorsFromColumn, vectorSizeAt, vectorElementAt,
  denseVectorValues, isDenseVectorType, isVectorStructType, type DenseValues,
} from './columns.js';
