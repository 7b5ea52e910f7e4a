/**
 * Spark's EMLDAOptimizer on the driver (Asuncion et al. 2009), over the corpus kept on the
 * executors instead of a GraphX graph: the document vertices' N_kj stay beside their blocks
 * (`ldaEmState`, lda-tasks.ts), each iteration is one `treeAggregate` of `ldaEmStats` whose
 * broadcast is N_wk and N_k and whose summary is the new N_wk (the new N_kj are written where
 * they live); N_k = Σ_w N_wk here. Iterations are synchronous, as Spark's. At the end the
 * documents and their N_kj come back once (`ldaEmGraph`): DistributedLDAModel keeps the graph
 * (trainingLogLikelihood, logPrior, and its saved oldModel/ data).
 */
import type { SessionLike } from '../../src/dataframe/dataframe.js';
import type { Instances } from '../data/instances.js';
import { GAMMA_SHAPE, type EmGraphState } from './lda-common.js';
import { ldaEmGraph, ldaEmState, ldaEmStats, type EmBroadcast, type EmGraphPart } from './lda-tasks.js';

/** What the EM optimizer reads of LDA's params (α and η resolved: Spark's defaults are 50/k + 1 and 1.1). */
export interface EmSettings {
  k: number;
  alpha: number;
  eta: number;
  seed: number;
  maxIter: number;
}

/** Spark's EMLDAOptimizer (initialize, then maxIter × next()) over the corpus `docs` (d = vocabSize). */
export async function fitEm(session: SessionLike, docs: Instances, o: EmSettings, onIteration: (it: number) => void): Promise<EmGraphState> {
  const { k, alpha, eta } = o;
  const V = docs.d;
  const state = await session.keepTasks<unknown, { k: number }, null>(ldaEmState, docs, { k });
  try {
    const data = docs.zip(state);
    const step = (termTopic: Float64Array, topicTotals: Float64Array, initSeed: number | null, write: 0 | 1) =>
      session.treeAggregate(ldaEmStats, data, { k, vocabSize: V, eta, alpha, topicTotals, termTopic, initSeed, write, rowBases: docs.rowBases } satisfies EmBroadcast);
    let termTopic = (await step(new Float64Array(0), new Float64Array(k), o.seed, 0)).termTopic;
    let topicTotals = topicTotalsOf(termTopic, k, V);
    const iterationTimes: number[] = [];
    for (let it = 1; it <= o.maxIter; it++) {
      const start = performance.now();
      termTopic = (await step(termTopic, topicTotals, null, (it % 2) as 0 | 1)).termTopic;
      topicTotals = topicTotalsOf(termTopic, k, V);
      iterationTimes.push((performance.now() - start) / 1000);
      onIteration(it);
    }
    const parts = await session.runTasks(ldaEmGraph, data, { k, read: (o.maxIter % 2) as 0 | 1, rowBases: docs.rowBases });
    return emGraphOf(parts, k, V, termTopic, topicTotals, alpha, eta, iterationTimes);
  } finally {
    state.release();
  }
}

/** N_k = Σ_w N_wk. */
export function topicTotalsOf(termTopic: Float64Array, k: number, vocabSize: number): Float64Array {
  const out = new Float64Array(k);
  for (let w = 0; w < vocabSize; w++) for (let t = 0; t < k; t++) out[t] += termTopic[w * k + t]!;
  return out;
}

/** The blocks' documents (in row order) joined into the graph DistributedLDAModel keeps. */
function emGraphOf(parts: EmGraphPart[], k: number, V: number, termTopic: Float64Array, topicTotals: Float64Array, alpha: number, eta: number, iterationTimes: number[]): EmGraphState {
  const total = (f: (p: EmGraphPart) => { length: number }) => parts.reduce((s, p) => s + f(p).length, 0);
  const docs = total((p) => p.docIds);
  const docIds = new BigInt64Array(docs);
  const indptr = new Int32Array(docs + 1);
  const terms = new Int32Array(total((p) => p.terms));
  const counts = new Float64Array(terms.length);
  const docTopic = new Float64Array(docs * k);
  let j = 0;
  let e = 0;
  for (const p of parts) {
    for (let i = 0; i < p.docIds.length; i++) {
      docIds[j + i] = BigInt(p.docIds[i]!);
      indptr[j + i + 1] = e + p.indptr[i + 1]!;
    }
    terms.set(p.terms, e);
    counts.set(p.counts, e);
    docTopic.set(p.docTopic, j * k);
    j += p.docIds.length;
    e += p.terms.length;
  }
  const termPresent = new Uint8Array(V);
  for (const w of terms) termPresent[w] = 1;
  return { k, vocabSize: V, docIds, indptr, terms, counts, docTopic, termTopic, termPresent, topicTotals, alpha, eta, gammaShape: GAMMA_SHAPE, iterationTimes };
}
