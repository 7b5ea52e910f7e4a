/** The param table of Spark's PowerIterationClusteringParams; power-iteration-clustering-params.ts is generated from it. */
import { ParamValidators as V } from '../param/params.js';
import { SharedParams } from '../param/shared-params.table.js';
import { param, paramFamily, withDefault } from '../param/spec.js';

const S = SharedParams.params;

export const PowerIterationClusteringParamsTable = paramFamily('PowerIterationClusteringParams', {
  doc: "Spark's PowerIterationClusteringParams.",
  params: {
    k: param.number('The number of clusters to create. Must be > 1.', { default: 2, validate: V.intGt(1) }),
    maxIter: withDefault(S.maxIter, 20),
    initMode: param.oneOf(
      ['random', 'degree'],
      "The initialization algorithm. This can be either 'random' to use a random vector as vertex properties, or 'degree' to use a normalized sum of similarities with other vertices.  Supported options: 'random' and 'degree'.",
      { default: 'random' },
    ),
    srcCol: param.string('Name of the input column for source vertex IDs.', { default: 'src', validate: V.nonEmptyStr() }),
    dstCol: param.string('Name of the input column for destination vertex IDs.', { default: 'dst', validate: V.nonEmptyStr() }),
    weightCol: S.weightCol,
  },
});
