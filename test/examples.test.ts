// The examples run in the suite on their small bundled data, so they never rot.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

t.test('examples/dataframe.ts (npm run demo) runs and prints the tour', async (t) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'examples', 'dataframe.ts')], { cwd: root, encoding: 'utf8', env: { ...process.env, KINDLING_MASTER: 'local' }, timeout: 120_000 });
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /read .*iris\.csv: 150 rows/);
  t.match(r.stdout, /\|   mean\| 5\.843333333333335\|/);
  t.match(r.stdout, /\| virginica\| 50\|             5\.552\|/);
  t.match(r.stdout, /PushedFilters: \[=\(species, "virginica"\)\]/);
  t.match(r.stdout, /randomSplit\(0\.8, 0\.2, seed 42\): \d+ \+ \d+ rows/);
});

t.test('examples/clustering.ts (npm run demo) runs on a slice of the bundled cars data', async (t) => {
  const mlruns = join(t.testdir(), 'mlruns');
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'examples', 'clustering.ts'), '--rows', '150'], { cwd: root, encoding: 'utf8', env: { ...process.env, KINDLING_MASTER: 'local', KINDLING_PROGRESS: '0', MLFLOW_TRACKING_URI: mlruns }, timeout: 180_000 });
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /read .*cars\.csv: 150 cars/);
  t.match(r.stdout, /\|  count\|/);
  t.match(r.stdout, /\d+ rows with a missing feature, filled with the medians \[[\d., ]+\]; k = \d \(distinct values of Origin\)/);
  t.match(r.stdout, /KMeans euclidean: cluster sizes \[\d+(, \d+)*\], training cost \d+\.\d{4}, \d+ iterations/);
  t.match(r.stdout, /KMeans cosine: cluster sizes/);
  t.match(r.stdout, /GaussianMixture: cluster sizes \[[\d, ]+\], log-likelihood -?\d+\.\d{4}, \d+ iterations/);
  t.match(r.stdout, /silhouette: squaredEuclidean -?\d\.\d{4}, cosine -?\d\.\d{4}/);
  t.match(r.stdout, /tracking to .*mlruns, experiment cars-clustering \(\d+\)/);
  t.match(r.stdout, /best run (kmeans-euclidean|kmeans-cosine|gaussian-mixture) \(silhouette -?\d\.\d{4}\) registered as cars-clusters version 1, now in Production/);
  t.match(r.stdout, /models:\/cars-clusters\/Production scores 3 raw rows \(the last without Miles_per_Gallon\): \[\d, \d, \d\]/);
  const exp = readdirSync(mlruns).filter((d) => /^\d{2,}$/.test(d));
  t.equal(exp.length, 1, 'one experiment besides Default');
  t.equal(readdirSync(join(mlruns, exp[0]!)).filter((d) => /^[0-9a-f]{32}$/.test(d)).length, 3, 'three runs in MLflow\'s layout');
  t.ok(existsSync(join(mlruns, 'models', 'cars-clusters', 'version-1', 'meta.yaml')), 'the registered version');
});

t.test('examples/classification.ts (npm run demo, second part) runs on a slice of the bundled cars data', async (t) => {
  const mlruns = join(t.testdir(), 'mlruns');
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'examples', 'classification.ts'), '--rows', '150'], { cwd: root, encoding: 'utf8', env: { ...process.env, KINDLING_MASTER: 'local', MLFLOW_TRACKING_URI: mlruns }, timeout: 180_000 });
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /read .*cars\.csv: \d+ training and \d+ test cars; label Origin/);
  t.match(r.stdout, /CrossValidator: mean F1 per grid point \[(\d\.\d{4}(, )?){6}\]; best regParam [\d.]+, elasticNetParam [\d.]+/);
  t.match(r.stdout, /LogisticRegression: test accuracy \d\.\d{4}, F1 \d\.\d{4}/);
  t.match(r.stdout, /NaiveBayes \(gaussian\): test accuracy \d\.\d{4}, F1 \d\.\d{4}/);
  t.match(r.stdout, /best run (logistic-regression-cv|naive-bayes) \(test F1 \d\.\d{4}\) registered as cars-origin version 1, now in Production/);
  t.match(r.stdout, /models:\/cars-origin\/Production scores one raw test car of each origin \[[A-Za-z, ]+\]: \[[A-Za-z, ]+\]/);
  const exp = readdirSync(mlruns).filter((d) => /^\d{2,}$/.test(d));
  t.equal(readdirSync(join(mlruns, exp[0]!)).filter((d) => /^[0-9a-f]{32}$/.test(d)).length, 2, "two runs in MLflow's layout");
});
