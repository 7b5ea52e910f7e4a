/**
 * Spark's OneVsRestParams (ml.classification.OneVsRest, shared by OneVsRest and OneVsRestModel):
 * a Classifier's columns, weightCol and the base classifier. OneVsRest adds the shared
 * parallelism. one-vs-rest-params.ts is generated from it.
 */
import { SharedParams } from '../param/shared-params.table.js';
import { param, paramFamily } from '../param/spec.js';
import { ClassifierParamsTable } from '../predictor/predictor-params.table.js';
import { Estimator } from '../stage.js';

const S = SharedParams.params;

export const OneVsRestParamsTable = paramFamily('OneVsRestParams', {
  doc: "Spark's OneVsRestParams, shared by OneVsRest and OneVsRestModel.",
  base: ClassifierParamsTable,
  typeImports: { Estimator: '../stage.js' },
  params: {
    classifier: param.of<Estimator>('Estimator', 'base binary classification algorithm', { validate: (v) => (v instanceof Estimator ? null : 'an Estimator (a classifier)') }),
    weightCol: S.weightCol,
  },
});
