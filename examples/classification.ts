/**
 * npm run demo (second part) — the supervised scenario on the same bundled cars data, on the
 * embedded defaults (local[N], the file tracking store):
 *
 *   index the label (StringIndexer on Origin, fitted once on all rows) → fill missing values (Imputer, median) → assemble and
 *   scale features → a Pipeline ending in LogisticRegression (multinomial), tuned by 3-fold
 *   CrossValidator over regParam × elasticNetParam with the F1 evaluator → test-set accuracy and
 *   F1 → NaiveBayes (gaussian) as a baseline → each a tracked run (params, metrics, the model with
 *   its signature) → the best registered, moved to Production, loaded back by its models:/ URI and
 *   scoring raw rows (the predicted origin index, named through the fitted indexer's labels).
 *
 *   KINDLING_MASTER=local[2] MLFLOW_TRACKING_URI=./mlruns npx tsx examples/classification.ts [path/to/cars.csv] [--rows N]
 */
import { join } from 'node:path';
import { Session, col } from '../ts/src/index.js';
import {
  StringIndexer, Imputer, VectorAssembler, StandardScaler, LogisticRegression, NaiveBayes, Pipeline, ParamGridBuilder, CrossValidator,
  MulticlassClassificationEvaluator, loadModel, tracking, type PipelineModel,
} from '../ts/ml/index.js';

const args = process.argv.slice(2);
const rowsAt = args.indexOf('--rows');
const maxRows = rowsAt >= 0 ? Number(args[rowsAt + 1]) : undefined;
const csv = args.find((a, i) => !a.startsWith('--') && (rowsAt < 0 || i !== rowsAt + 1)) ?? join(import.meta.dirname, '..', 'data', 'cars.csv');

const spark = await Session.builder().appName('classification-demo').master(process.env.KINDLING_MASTER ?? 'local[2]').getOrCreate();

try {
  let cars = await spark.read.csv(csv, { header: true, inferSchema: true });
  if (maxRows !== undefined) cars = cars.limit(maxRows);
  const numeric = ['Miles_per_Gallon', 'Cylinders', 'Displacement', 'Horsepower', 'Weight_in_lbs', 'Acceleration'];
  const filled = numeric.map((c) => `${c}_filled`);
  // the label index is fitted on all rows, outside the logged model: a served model sees raw features only
  const indexer = await new StringIndexer({ inputCol: 'Origin', outputCol: 'label' }).fit(cars);
  const labels = indexer.labels;
  const [train, test] = indexer.transform(cars).randomSplit([0.75, 0.25], 7).map((d) => d.cache());
  console.log(`read ${csv}: ${await train!.count()} training and ${await test!.count()} test cars; label Origin`);

  // the features pipeline every model shares: medians for gaps, assembled and scaled
  const features = [
    new Imputer({ inputCols: numeric, outputCols: filled, strategy: 'median' }),
    new VectorAssembler({ inputCols: filled, outputCol: 'raw' }),
    new StandardScaler({ inputCol: 'raw', outputCol: 'features', withMean: true, withStd: true }),
  ];
  const f1 = new MulticlassClassificationEvaluator({ metricName: 'f1' });
  const accuracy = new MulticlassClassificationEvaluator({ metricName: 'accuracy' });
  const experiment = await tracking.setExperiment('cars-origin');
  console.log(`tracking to ${tracking.getTrackingUri()}, experiment ${experiment.name} (${experiment.experimentId})`);
  // the input example (the signature's source): one complete test car of each origin, raw columns only
  const origins = labels.map((o) => test!.na.drop({ subset: numeric }).filter(col('Origin').eq(o)).limit(1));
  const example = origins.reduce((a, b) => a.union(b)).select(...numeric);

  /** Scores a fitted pipeline on the test set and logs it as the active run's model. */
  const evaluateAndLog = async (name: string, model: PipelineModel, params: Record<string, string | number>) => {
    const predictions = model.transform(test!);
    const metrics = { test_f1: await f1.evaluate(predictions), test_accuracy: await accuracy.evaluate(predictions) };
    console.log(`${name}: test accuracy ${metrics.test_accuracy.toFixed(4)}, F1 ${metrics.test_f1.toFixed(4)}`);
    await tracking.logParams(params);
    await tracking.logMetrics(metrics);
    await tracking.logModel(model, 'model', { inputExample: example });
  };

  await tracking.withRun({ runName: 'logistic-regression-cv' }, async () => {
    const lr = new LogisticRegression({ maxIter: 300 });
    const grid = new ParamGridBuilder().addGrid(lr.regParam, [0.003, 0.03, 0.3]).addGrid(lr.elasticNetParam, [0, 0.5]).build();
    const cv = new CrossValidator({ estimator: new Pipeline({ stages: [...features, lr] }), estimatorParamMaps: grid, evaluator: f1, numFolds: 3, seed: 7 });
    const cvModel = await cv.fit(train!);
    const best = cvModel.bestModel as PipelineModel;
    const bestAt = cvModel.avgMetrics.indexOf(Math.max(...cvModel.avgMetrics));
    const chosen = grid[bestAt]!;
    console.log(`CrossValidator: mean F1 per grid point [${cvModel.avgMetrics.map((m) => m.toFixed(4)).join(', ')}]; best regParam ${chosen.get(lr.regParam)}, elasticNetParam ${chosen.get(lr.elasticNetParam)}`);
    const lrModel = best.stages.at(-1) as unknown as { coefficientMatrix: { numRows: number; numCols: number }; summary: { totalIterations: number } };
    console.log(`  coefficients ${lrModel.coefficientMatrix.numRows} x ${lrModel.coefficientMatrix.numCols}, ${lrModel.summary.totalIterations} iterations`);
    await evaluateAndLog('LogisticRegression', best, { estimator: 'LogisticRegression', regParam: chosen.get(lr.regParam) as number, elasticNetParam: chosen.get(lr.elasticNetParam) as number });
  });

  await tracking.withRun({ runName: 'naive-bayes' }, async () => {
    // gaussian: scaled features are negative, which the multinomial model refuses
    const nb = await new Pipeline({ stages: [...features, new NaiveBayes({ modelType: 'gaussian' })] }).fit(train!);
    await evaluateAndLog('NaiveBayes (gaussian)', nb, { estimator: 'NaiveBayes', modelType: 'gaussian' });
  });

  // the best run by test F1: registered, promoted, loaded back, scoring raw rows
  const [best] = await tracking.searchRuns({ filter: "attributes.status = 'FINISHED'", orderBy: ['metrics.test_f1 DESC'], maxResults: 1 });
  const version = await tracking.registerModel(`runs:/${best!.info.runId}/model`, 'cars-origin');
  await tracking.transitionModelVersionStage('cars-origin', version.version, 'Production', { archiveExistingVersions: true });
  console.log(`best run ${best!.info.runName} (test F1 ${best!.data.metrics.test_f1!.toFixed(4)}) registered as cars-origin version ${version.version}, now in Production`);
  const served = await loadModel('models:/cars-origin/Production');
  const rows = await example.collect();
  const predicted = (await served.predict(rows)) as number[];
  console.log(`  models:/cars-origin/Production scores one raw test car of each origin [${labels.join(', ')}]: [${predicted.map((p) => labels[p]).join(', ')}]`);
} finally {
  await spark.stop();
}
