/**
 * MultilayerPerceptronClassifier (Spark 3.x ml.classification.MultilayerPerceptronClassifier):
 * sigmoid hidden layers and a softmax output with the cross-entropy loss
 * (multilayer-perceptron-topology.ts), trained on labels 0..layers[last]−1 (Spark's
 * checkClassificationLabels(labelCol, Some(numClasses))) and features of size layers[0].
 *
 *   - initial weights: `initialWeights` (its size checked against the layers), else Spark's random
 *     init from `seed` with Spark's own XORShiftRandom stream, so a seeded fit starts where Spark's does;
 *   - each evaluation of the objective is ONE treeAggregate of `mlpGradient`
 *     (multilayer-perceptron-tasks.ts) over the packed blocks, stacked blockSize rows at a time:
 *     objective = mean over stacks of the stack's mean cross-entropy, as Spark's LBFGS.CostFun /
 *     GradientDescent divide by the number of stacked examples (no regularisation: ANNUpdater);
 *   - 'l-bfgs': Breeze's L-BFGS (ts/ml/optim/minimize.ts, m = 10, Spark's tol and maxIter);
 *     objectiveHistory its states' values, the initial one first;
 *   - 'gd': Spark's GradientDescent with the ANNUpdater (w ← w − stepSize · ∇, a constant step),
 *     miniBatchFraction 1 (factorization-machines.ts `miniBatchSGD`);
 *   - a fit that stops at maxIter says so (process warning KINDLING_MLP_NOT_CONVERGED).
 * The model, its summary and persistence are in multilayer-perceptron-model.ts.
 */
import type * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { MLWritable } from '../ml-writable.js';
import { minimize } from '../optim/minimize.js';
import { register } from '../persist.js';
import { checkPredictorSchema, prepareLabeled } from '../predictor/predictor.js';
import { Estimator, type FitOptions } from '../stage.js';
import { miniBatchSGD, type Updater } from './factorization-machines.js';
import { MultilayerPerceptronParamsMixin, type MultilayerPerceptronParamsOptions } from './multilayer-perceptron-params.js';
import { mlpGradient, type MlpGradientBroadcast } from './multilayer-perceptron-tasks.js';
import { checkTopology, mlpRandomWeights } from './multilayer-perceptron-topology.js';
import { checkWeights, MultilayerPerceptronClassificationModel, MultilayerPerceptronClassificationTrainingSummary, setMlpParams, writeMlpMetadata } from './multilayer-perceptron-model.js';

export type MultilayerPerceptronClassifierOptions = MultilayerPerceptronParamsOptions;

/** Spark's ANNUpdater: a constant step, no regulariser. */
const annUpdater: Updater = {
  update(w, g, stepSize) {
    const out = w.slice();
    for (let i = 0; i < out.length; i++) out[i] = out[i]! + -stepSize * g[i]!;
    return { w: out, reg: 0 };
  },
};

export class MultilayerPerceptronClassifier extends MLWritable(MultilayerPerceptronParamsMixin(Estimator<MultilayerPerceptronClassificationModel>)) {
  constructor(options?: MultilayerPerceptronClassifierOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  private requireLayers(api: string): number[] {
    if (!this.isDefined(this.layers)) throw Errors.invalidArg(api, 'layers', 'the sizes of the layers, input first (Failed to find a default value for layers)', undefined);
    return this.getLayers();
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    const api = this.stageName;
    this.requireLayers(api);
    checkPredictorSchema(api, schema, { featuresCol: this.getFeaturesCol(), labelCol: this.getLabelCol() });
    return this.copyValues(new MultilayerPerceptronClassificationModel()).transformSchema(schema);
  }

  protected async fitImpl(df: DataFrame, options: FitOptions): Promise<MultilayerPerceptronClassificationModel> {
    const api = this.stageName;
    const layers = this.requireLayers(api);
    const numClasses = layers.at(-1)!;
    let w0: Float64Array;
    if (this.isDefined(this.initialWeights)) {
      w0 = this.getInitialWeights().toArray();
      checkWeights(api, 'initialWeights', layers, w0);
    } else {
      w0 = mlpRandomWeights(layers, this.getSeed());
    }
    const { data } = await prepareLabeled(api, df, {
      featuresCol: this.getFeaturesCol(),
      labelCol: this.getLabelCol(),
      kind: 'classification',
      numClasses: { value: numClasses, from: 'the last of layers' },
    });
    let weights: Float64Array;
    let history: number[];
    let converged: boolean;
    try {
      checkTopology(api, layers, data.d, this.getFeaturesCol());
      const pass = (w: Float64Array) => df.session.treeAggregate(mlpGradient, data, { layers, weights: w, blockSize: this.getBlockSize() } satisfies MlpGradientBroadcast);
      const maxIter = this.getMaxIter();
      const onIteration = (i: number, value: number) => options.onProgress?.({ stage: this.uid, kind: 'iteration', current: i, total: maxIter, message: `objective ${value}` });
      if (this.getSolver() === 'l-bfgs') {
        const r = await minimize(
          async (w, grad) => {
            const s = await pass(w);
            for (let i = 0; i < grad.length; i++) grad[i] = s.grad[i]! / s.count;
            return s.loss / s.count;
          },
          w0,
          { maxIter, tol: this.getTol(), m: 10, onIteration },
        );
        weights = r.x;
        history = r.objectiveHistory;
        converged = r.converged;
      } else {
        const r = await miniBatchSGD(async (w) => pass(w), w0, { updater: annUpdater, stepSize: this.getStepSize(), maxIter, regParam: 0, tol: this.getTol(), onIteration });
        weights = r.coef;
        history = r.objectiveHistory;
        converged = r.converged;
      }
    } finally {
      data.release();
    }
    if (!converged) {
      process.emitWarning(`${api} (${this.uid}): ${this.getSolver()} did not converge within maxIter = ${this.getMaxIter()} iterations (tol = ${this.getTol()}); the model holds the last iterate`, {
        type: 'KindlingWarning',
        code: 'KINDLING_MLP_NOT_CONVERGED',
      });
    }
    const model = this.copyValues(new MultilayerPerceptronClassificationModel(undefined, this.uid)).setWeights(weights);
    model.setParent(this);
    const sm = model.getPredictionCol() === '' ? model.copy().setPredictionCol('prediction') : model;
    model.setSummary(await MultilayerPerceptronClassificationTrainingSummary.trainingOf(sm.transform(df), { predictionCol: sm.getPredictionCol(), labelCol: this.getLabelCol(), weightCol: '' }, history, converged));
    return model;
  }
}

register('org.apache.spark.ml.classification.MultilayerPerceptronClassifier', MultilayerPerceptronClassifier, {
  save: async (stage, path, ctx) => writeMlpMetadata(stage, path, ctx.api),
  load: async (_path, md, ctx) => {
    const stage = new MultilayerPerceptronClassifier(undefined, md.uid);
    setMlpParams(stage, md, ctx.api);
    return stage;
  },
});
