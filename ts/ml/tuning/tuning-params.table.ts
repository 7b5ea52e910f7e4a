/**
 * The param tables of Spark's ValidatorParams, CrossValidatorParams and
 * TrainValidationSplitParams (the validators and their models); tuning-params.ts is generated
 * from them. The estimators' parallelism and collectSubModels are the shared HasParallelism and
 * HasCollectSubModels.
 */
import { ParamMap, ParamValidators as V } from '../param/params.js';
import { sparkSeed } from '../param/shared-params.table.js';
import { param, paramFamily } from '../param/spec.js';
import { Estimator, Evaluator } from '../stage.js';

export const CV_CLASS = 'org.apache.spark.ml.tuning.CrossValidator';
export const TVS_CLASS = 'org.apache.spark.ml.tuning.TrainValidationSplit';

export const ValidatorParamsTable = paramFamily('ValidatorParams', {
  doc: "Spark's ValidatorParams, shared by CrossValidator, TrainValidationSplit and their models.",
  typeImports: { Estimator: '../stage.js', Evaluator: '../stage.js', ParamMap: '../param/params.js' },
  params: {
    estimator: param.of<Estimator>('Estimator', 'estimator for selection', { validate: (v) => (v instanceof Estimator ? null : 'an Estimator') }),
    estimatorParamMaps: param.of<ParamMap[]>('ParamMap[]', 'param maps for the estimator', {
      validate: (v) => (Array.isArray(v) && v.every((m) => m instanceof ParamMap) ? null : 'an array of ParamMaps'),
    }),
    evaluator: param.of<Evaluator>('Evaluator', 'evaluator used to select hyper-parameters that maximize the validated metric', {
      validate: (v) => (v instanceof Evaluator ? null : 'an Evaluator'),
    }),
  },
});

export const CrossValidatorParamsTable = paramFamily('CrossValidatorParams', {
  doc: "Spark's CrossValidatorParams, shared by CrossValidator and CrossValidatorModel.",
  base: ValidatorParamsTable,
  params: {
    seed: sparkSeed(CV_CLASS),
    numFolds: param.number('number of folds for cross validation (>= 2)', { default: 3, validate: V.int(2) }),
    foldCol: param.string('the column name of user specified fold number', { default: '', validate: V.str() }),
  },
});

export const TrainValidationSplitParamsTable = paramFamily('TrainValidationSplitParams', {
  doc: "Spark's TrainValidationSplitParams, shared by TrainValidationSplit and TrainValidationSplitModel.",
  base: ValidatorParamsTable,
  params: {
    seed: sparkSeed(TVS_CLASS),
    trainRatio: param.number('ratio between training set and validation set (> 0 && < 1)', { default: 0.75, validate: V.inRange(0, 1, false, false) }),
  },
});
