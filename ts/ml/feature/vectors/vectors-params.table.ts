/**
 * The param tables of the vector transformers (Spark's ml.feature PolynomialExpansion,
 * ElementwiseProduct, VectorSlicer, Interaction, VectorSizeHint), with Spark's names, docs and
 * defaults; vectors-params.ts is generated from them (`npm run gen:params`).
 */
import { ParamValidators as V } from '../../param/params.js';
import { SharedParams, uidOutputCol } from '../../param/shared-params.table.js';
import { param, paramFamily } from '../../param/spec.js';
import { isVector } from '../../linalg/vectors.js';

export const PolynomialExpansionParamsTable = paramFamily('PolynomialExpansionParams', {
  doc: "The params of Spark's PolynomialExpansion.",
  params: {
    inputCol: SharedParams.params.inputCol,
    outputCol: uidOutputCol,
    degree: param.number('the polynomial degree to expand (>= 1)', { default: 2, validate: V.int(1) }),
  },
});

export const DCTParamsTable = paramFamily('DCTParams', {
  doc: "The params of Spark's DCT.",
  params: {
    inputCol: SharedParams.params.inputCol,
    outputCol: uidOutputCol,
    inverse: param.boolean('Set transformer to perform inverse DCT', { default: false }),
  },
});

export const ElementwiseProductParamsTable = paramFamily('ElementwiseProductParams', {
  doc: "The params of Spark's ElementwiseProduct.",
  typeImports: { Vector: '../../linalg/vectors.js' },
  params: {
    inputCol: SharedParams.params.inputCol,
    outputCol: uidOutputCol,
    scalingVec: param.of<import('../../linalg/vectors.js').Vector>('Vector', 'vector for hadamard product', {
      validate: (v) => (isVector(v) ? null : 'a vector (DenseVector or SparseVector)'),
    }),
  },
});

const distinctInts = (v: unknown): string | null =>
  Array.isArray(v) && v.every((x) => Number.isInteger(x) && x >= 0) && new Set(v).size === v.length ? null : 'an array of distinct integers >= 0';
const distinctNames = (v: unknown): string | null =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') && new Set(v).size === v.length ? null : 'an array of distinct strings';

export const VectorSlicerParamsTable = paramFamily('VectorSlicerParams', {
  doc: "The params of Spark's VectorSlicer.",
  params: {
    inputCol: SharedParams.params.inputCol,
    outputCol: uidOutputCol,
    indices: param.of<number[]>('number[]', 'An array of indices to select features from a vector column. There can be no overlap with names.', {
      default: [],
      validate: distinctInts,
      copyOnGet: true,
    }),
    names: param.of<string[]>('string[]', 'An array of feature names to select features from a vector column. There can be no overlap with indices.', {
      default: [],
      validate: distinctNames,
      copyOnGet: true,
    }),
  },
});

export const InteractionParamsTable = paramFamily('InteractionParams', {
  doc: "The params of Spark's Interaction.",
  params: {
    inputCols: SharedParams.params.inputCols,
    outputCol: uidOutputCol,
  },
});

export const VectorSizeHintParamsTable = paramFamily('VectorSizeHintParams', {
  doc: "The params of Spark's VectorSizeHint.",
  params: {
    inputCol: SharedParams.params.inputCol,
    size: param.number('Size of vectors in column.', { validate: V.int(0) }),
    handleInvalid: param.oneOf(
      ['error', 'skip', 'optimistic'],
      'How to handle invalid vectors in inputCol. Invalid vectors include nulls and vectors with the wrong size. The options are ' +
        '`skip` (filter out rows with invalid vectors), `error` (throw an error) and `optimistic` (do not check the vector size, and ' +
        'keep all rows). `error` by default.',
      { default: 'error' },
    ),
  },
});
