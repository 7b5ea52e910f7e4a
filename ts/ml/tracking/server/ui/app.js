// The tracking UI: hash routes rendered from the /ajax-api endpoints (MLFLOW.md §4), plain DOM.
//   #/                          experiments          #/experiments/<id>    runs table (params, metrics)
//   #/runs/<id>                 run detail           #/compare?runs=a,b    run comparison + charts
//   #/chart?run=<id>&key=<k>    one metric's chart   #/models, #/models/<name>  registry
import { lineChart } from './charts.js';

const API = '/ajax-api/2.0/mlflow/';
const view = document.getElementById('view');

async function api(path, params = {}, method = 'GET') {
  const url = new URL(API + path, location.origin);
  let body;
  if (method === 'GET') for (const [k, v] of Object.entries(params)) for (const x of [].concat(v)) url.searchParams.append(k, String(x));
  else body = JSON.stringify(params);
  const res = await fetch(url, { method, body, headers: body ? { 'content-type': 'application/json' } : {} });
  const json = await res.json();
  if (!res.ok) throw new Error(`${json.error_code}: ${json.message}`);
  return json;
}

/** An element with attributes (on* become listeners) and children (strings become text). */
function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) if (c !== undefined && c !== null) node.append(c instanceof Node ? c : String(c));
  return node;
}
const time = (ms) => (ms == null ? '' : new Date(Number(ms)).toISOString().replace('T', ' ').slice(0, 19));
const num = (v) => (typeof v === 'number' ? String(Number(v.toPrecision(6))) : String(v ?? ''));
const kv = (list) => Object.fromEntries((list ?? []).map((x) => [x.key, x.value]));
const table = (head, rows, attrs = {}) => h('table', attrs, h('thead', {}, h('tr', {}, head)), h('tbody', {}, rows));
const th = (text, cls) => h('th', cls ? { class: cls } : {}, text);
const runLink = (info) => h('a', { href: `#/runs/${info.run_id}` }, info.run_name || info.run_id);

async function experiments() {
  const { experiments = [] } = await api('experiments/search', { max_results: 1000 });
  return [h('h1', {}, 'Experiments'), table([th('Name'), th('ID'), th('Artifact location'), th('Created')],
    experiments.map((e) => h('tr', {}, h('td', {}, h('a', { href: `#/experiments/${e.experiment_id}` }, e.name)), h('td', {}, e.experiment_id),
      h('td', { class: 'muted' }, e.artifact_location), h('td', {}, time(e.creation_time)))), { id: 'experiments' })];
}

async function runsTable(id) {
  const [{ experiment }, { runs = [] }] = await Promise.all([api('experiments/get', { experiment_id: id }), api('runs/search', { experiment_ids: [id], max_results: 1000 }, 'POST')]);
  const params = [...new Set(runs.flatMap((r) => r.data.params?.map((p) => p.key) ?? []))].sort();
  const metrics = [...new Set(runs.flatMap((r) => r.data.metrics?.map((m) => m.key) ?? []))].sort();
  const compare = h('button', { id: 'compare', onclick: () => {
    const ids = [...view.querySelectorAll('input[name=run]:checked')].map((c) => c.value);
    location.hash = `#/compare?runs=${ids.join(',')}`;
  } }, 'Compare selected');
  const rows = runs.map((r) => {
    const p = kv(r.data.params), m = Object.fromEntries((r.data.metrics ?? []).map((x) => [x.key, x.value]));
    return h('tr', {}, h('td', {}, h('input', { type: 'checkbox', name: 'run', value: r.info.run_id, 'aria-label': `select ${r.info.run_name}` })),
      h('td', {}, runLink(r.info)), h('td', {}, r.info.status), h('td', {}, time(r.info.start_time)),
      params.map((k) => h('td', {}, p[k] ?? '')), metrics.map((k) => h('td', { class: 'num' }, k in m ? num(m[k]) : '')));
  });
  return [h('h1', {}, `Experiment: ${experiment.name}`), h('p', {}, `${runs.length} runs `, compare),
    table([th(''), th('Run'), th('Status'), th('Started'), params.map((k) => th(k, 'param')), metrics.map((k) => th(k, 'metric'))], rows, { id: 'runs' })];
}

async function run(id) {
  const [{ run: r }, { files = [] }] = await Promise.all([api('runs/get', { run_id: id }), api('artifacts/list', { run_id: id }).catch(() => ({ files: [] }))]);
  const i = r.info;
  const info = [['Run ID', i.run_id], ['Experiment', h('a', { href: `#/experiments/${i.experiment_id}` }, i.experiment_id)], ['Status', i.status], ['User', i.user_id],
    ['Started', time(i.start_time)], ['Ended', time(i.end_time)], ['Artifact URI', i.artifact_uri]];
  return [h('h1', {}, `Run: ${i.run_name}`), table([th('Field'), th('Value')], info.map(([k, v]) => h('tr', {}, h('td', {}, k), h('td', {}, v))), { id: 'info' }),
    h('h2', {}, 'Parameters'), table([th('Name'), th('Value')], (r.data.params ?? []).map((p) => h('tr', {}, h('td', {}, p.key), h('td', {}, p.value))), { id: 'params' }),
    h('h2', {}, 'Metrics'), table([th('Name'), th('Latest'), th('Step')], (r.data.metrics ?? []).map((m) => h('tr', {},
      h('td', {}, h('a', { href: `#/chart?run=${i.run_id}&key=${encodeURIComponent(m.key)}` }, m.key)), h('td', { class: 'num' }, num(m.value)), h('td', { class: 'num' }, m.step))), { id: 'metrics' }),
    h('h2', {}, 'Tags'), table([th('Name'), th('Value')], (r.data.tags ?? []).map((t) => h('tr', {}, h('td', {}, t.key), h('td', {}, t.value))), { id: 'tags' }),
    h('h2', {}, 'Artifacts'), h('ul', { id: 'artifacts' }, files.map((f) => h('li', {}, f.path + (f.is_dir ? '/' : ` (${f.file_size} bytes)`))))];
}

async function history(runId, key, name) {
  const { metrics = [] } = await api('metrics/get-history', { run_id: runId, metric_key: key });
  return { name, points: metrics.map((m) => ({ x: Number(m.step), y: typeof m.value === 'number' ? m.value : NaN })) };
}

async function chart(q) {
  const runId = q.get('run'), key = q.get('key');
  const { run: r } = await api('runs/get', { run_id: runId });
  return [h('h1', {}, `Metric ${key} of run `, runLink(r.info)), h('div', { id: 'chart' }, lineChart([await history(runId, key, key)], { title: key }))];
}

async function compare(q) {
  const ids = (q.get('runs') ?? '').split(',').filter(Boolean);
  if (!ids.length) return [h('h1', {}, 'Compare runs'), h('p', {}, 'Select runs in an experiment\'s runs table.')];
  const runs = (await Promise.all(ids.map((id) => api('runs/get', { run_id: id })))).map((x) => x.run);
  const keys = (field) => [...new Set(runs.flatMap((r) => (r.data[field] ?? []).map((x) => x.key)))].sort();
  const row = (label, cls, values) => h('tr', {}, h('th', { class: cls }, label), values.map((v) => h('td', { class: cls === 'metric' ? 'num' : undefined }, v)));
  const rows = [...keys('params').map((k) => row(k, 'param', runs.map((r) => kv(r.data.params)[k] ?? ''))),
    ...keys('metrics').map((k) => row(k, 'metric', runs.map((r) => num((r.data.metrics ?? []).find((m) => m.key === k)?.value ?? ''))))];
  const charts = [];
  for (const k of keys('metrics')) charts.push(lineChart(await Promise.all(runs.map((r) => history(r.info.run_id, k, r.info.run_name || r.info.run_id))), { title: k }));
  return [h('h1', {}, `Compare ${runs.length} runs`), table([th(''), runs.map((r) => h('th', {}, runLink(r.info)))], rows, { id: 'compare-table' }), h('div', { id: 'charts' }, charts)];
}

const stage = (s) => h('span', { class: `stage-${s}` }, s);

async function models() {
  const { registered_models = [] } = await api('registered-models/search', { max_results: 1000 });
  return [h('h1', {}, 'Registered models'), table([th('Name'), th('Latest versions'), th('Aliases'), th('Updated')], registered_models.map((m) => h('tr', {},
    h('td', {}, h('a', { href: `#/models/${encodeURIComponent(m.name)}` }, m.name)),
    h('td', {}, (m.latest_versions ?? []).flatMap((v) => [`v${v.version} `, stage(v.current_stage), ' '])),
    h('td', {}, (m.aliases ?? []).map((a) => `@${a.alias} → v${a.version}`).join(', ')), h('td', {}, time(m.last_updated_timestamp)))), { id: 'models' })];
}

async function model(name) {
  const { model_versions = [] } = await api('model-versions/search', { filter: `name = '${name.replace(/'/g, "''")}'` });
  model_versions.sort((a, b) => Number(a.version) - Number(b.version));
  return [h('h1', {}, `Model: ${name}`), table([th('Version'), th('Stage'), th('Aliases'), th('Run'), th('Source'), th('Created')], model_versions.map((v) => h('tr', {},
    h('td', {}, v.version), h('td', {}, stage(v.current_stage)), h('td', {}, (v.aliases ?? []).join(', ')),
    h('td', {}, v.run_id ? h('a', { href: `#/runs/${v.run_id}` }, v.run_id.slice(0, 8)) : ''), h('td', { class: 'muted' }, v.source), h('td', {}, time(v.creation_timestamp)))), { id: 'versions' })];
}

async function render() {
  const [path, query] = location.hash.replace(/^#/, '').split('?');
  const q = new URLSearchParams(query ?? '');
  view.dataset.state = 'loading';
  try {
    const parts = (path || '/').split('/').filter(Boolean).map(decodeURIComponent);
    let nodes;
    if (parts[0] === 'experiments' && parts[1]) nodes = await runsTable(parts[1]);
    else if (parts[0] === 'runs' && parts[1]) nodes = await run(parts[1]);
    else if (parts[0] === 'compare') nodes = await compare(q);
    else if (parts[0] === 'chart') nodes = await chart(q);
    else if (parts[0] === 'models' && parts[1]) nodes = await model(parts[1]);
    else if (parts[0] === 'models') nodes = await models();
    else nodes = await experiments();
    view.replaceChildren(...nodes);
  } catch (e) {
    view.replaceChildren(h('p', { class: 'error' }, String(e.message ?? e)));
  }
  view.dataset.state = 'ready';
}

addEventListener('hashchange', render);
render();
