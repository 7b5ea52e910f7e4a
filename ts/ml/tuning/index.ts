/** Model selection, as Spark's ml.tuning: grids, k-fold cross-validation, train/validation split. */
export { ParamGridBuilder } from './param-grid-builder.js';
export { CrossValidator, CrossValidatorModel, type CrossValidatorOptions, type CrossValidatorModelState } from './cross-validator.js';
export {
  TrainValidationSplit, TrainValidationSplitModel, type TrainValidationSplitOptions, type TrainValidationSplitModelState,
} from './train-validation-split.js';
