// The tracking UI (ts/ml/tracking/server/ui/) in headless Chromium (Debian's `chromium`, driven by
// playwright-core) against a kindling server over a fluent-written store: one page per view
// (experiments, runs table, run, compare, chart, models and a model's versions), each checked for
// its content, saved as a screenshot in the test's directory, and free of console errors. Without
// chromium installed the test skips, saying so.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tracking } from '../../../ts/ml/index.js';
import { serve } from './server-helpers.js';

function chromiumPath(): string | null {
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

const executablePath = chromiumPath();
const NAME = 'every view renders in headless chromium, with screenshots and no console errors';
const SKIP = { skip: 'chromium is not installed (apt-get install chromium): the UI test needs a headless browser' };
t.test(NAME, executablePath ? {} : SKIP, async (t) => {
  if (!executablePath) return;
  const dir = t.testdir();
  const root = join(dir, 'mlruns');
  tracking._resetFluentState();
  tracking.setTrackingUri(`file:${root}`);
  const exp = await tracking.setExperiment('ui <exp>');
  const ids: string[] = [];
  for (const [name, alpha, losses] of [['run-a', 0.1, [0.9, 0.5, 0.3]], ['run-b', 0.5, [0.8, 0.6, NaN]]] as const) {
    await tracking.withRun({ runName: name }, async (run) => {
      ids.push(run.info.runId);
      await tracking.logParams({ alpha, solver: 'lbfgs' });
      for (const [step, loss] of losses.entries()) await tracking.logMetric('loss', loss, { step, timestamp: 1000 + step });
      await tracking.logMetric('acc', 1 - alpha, { timestamp: 2000 });
      await tracking.logText('hello', 'notes/readme.txt');
    });
  }
  const client = tracking.getClient();
  await client.registerModel(`runs:/${ids[0]}/model`, 'ui-model');
  await client.registerModel(`runs:/${ids[1]}/model`, 'ui-model');
  await client.transitionModelVersionStage('ui-model', 2, 'Production');
  await client.setRegisteredModelAlias('ui-model', 'champion', 2);
  const s = await serve(t, root);

  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
  t.teardown(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));

  const visit = async (name: string, hash: string, selector: string): Promise<string> => {
    await page.goto(`${s.url}/${hash}`);
    await page.waitForSelector(selector, { timeout: 15000 });
    const file = join(dir, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    t.ok(existsSync(file) && statSync(file).size > 1000, `${name}: screenshot saved`);
    return (await page.textContent('#view')) ?? '';
  };

  const home = await visit('experiments', '#/', '#experiments');
  t.match(home, /Default/);
  t.match(home, /ui <exp>/, 'names shown as text, not markup');

  await visit('runs', `#/experiments/${exp.experimentId}`, '#runs');
  t.same(await page.$$eval('#runs thead th', (ths) => ths.map((e) => [e.textContent, e.className])), [
    ['', ''], ['Run', ''], ['Status', ''], ['Started', ''], ['alpha', 'param'], ['solver', 'param'], ['acc', 'metric'], ['loss', 'metric'],
  ]);
  const rows = await page.$$eval('#runs tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(1).map((td) => td.textContent)));
  t.same(rows.map((r) => [r[0], r[1], r[3], r[4], r[5], r[6]]).sort(), [['run-a', 'FINISHED', '0.1', 'lbfgs', '0.9', '0.3'], ['run-b', 'FINISHED', '0.5', 'lbfgs', '0.5', 'NaN']]);

  const runText = await visit('run', `#/runs/${ids[0]}`, '#params');
  t.match(runText, /Run: run-a/);
  t.same(await page.$$eval('#params tbody tr', (trs) => trs.map((tr) => tr.textContent)), ['alpha0.1', 'solverlbfgs']);
  t.same(await page.$$eval('#metrics tbody tr', (trs) => trs.map((tr) => tr.textContent)), ['acc0.90', 'loss0.32']);
  t.same(await page.$$eval('#artifacts li', (lis) => lis.map((li) => li.textContent)), ['notes/']);

  await visit('chart', `#/chart?run=${ids[0]}&key=loss`, '#chart svg polyline');
  t.equal(await page.$$eval('#chart circle', (c) => c.length), 3, 'one point per step');

  await page.goto(`${s.url}/#/experiments/${exp.experimentId}`);
  await page.waitForSelector('#runs');
  for (const box of await page.$$('input[name=run]')) await box.check();
  await page.click('#compare');
  await page.waitForSelector('#charts svg');
  await page.screenshot({ path: join(dir, 'compare.png'), fullPage: true });
  t.ok(statSync(join(dir, 'compare.png')).size > 1000, 'compare: screenshot saved');
  t.same(await page.$$eval('#compare-table tbody th', (ths) => ths.map((e) => e.textContent)), ['alpha', 'solver', 'acc', 'loss']);
  t.same(await page.$$eval('#charts svg', (svgs) => svgs.map((svg) => svg.querySelectorAll('polyline').length)), [2, 2], 'a line per run in each metric chart');
  t.equal(await page.$$eval('svg polyline[data-series="run-b"]', (p) => p[1]!.getAttribute('points')!.split(' ').length), 2, 'the NaN point is left out');

  const modelsText = await visit('models', '#/models', '#models');
  t.match(modelsText, /ui-model/);
  t.match(modelsText, /@champion → v2/);
  await visit('model', '#/models/ui-model', '#versions');
  t.same(await page.$$eval('#versions tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent))), [['1', 'None', ''], ['2', 'Production', 'champion']]);

  const missing = await visit('missing-run', '#/runs/ffffffffffffffffffffffffffffffff', '.error');
  t.match(missing, /RESOURCE_DOES_NOT_EXIST/);
  await page.goto(`${s.url}/#/models/%zz`);
  await page.waitForSelector('.error');
  t.match(await page.textContent('.error'), /URI malformed/, 'a broken hash is shown as an error, not thrown');
  t.same(problems.filter((p) => !/404/.test(p)), [], 'no console errors (the missing run\'s 404 fetch aside)');
});
