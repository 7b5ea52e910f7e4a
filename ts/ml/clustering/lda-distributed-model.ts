/**
 * Spark's DistributedLDAModel: what LDA with the EM optimizer fits — the topics (N_wk) plus the
 * training documents' graph (edges, N_kj; lda-em.ts brings it back once at the end of the fit),
 * so trainingLogLikelihood, logPrior and the saved oldModel/ data can be computed; `toLocal`
 * drops the documents. checkpointInterval / keepLastCheckpoint are accepted and saved but have
 * no effect: nothing is checkpointed (kindling has no checkpoint directory), getCheckpointFiles()
 * is [].
 */
import { KindlingError } from '../../src/errors.js';
import type { EmGraphState, LDAOptions, LocalLDAState } from './lda-common.js';
import { LDAModel, LocalLDAModel } from './lda-model.js';

/** The local model of an EM fit: λ = N_wkᵀ (topic-major), α symmetric. */
function localFromEm(g: EmGraphState): LocalLDAState {
  const { k, vocabSize } = g;
  const lambda = new Float64Array(k * vocabSize);
  for (let w = 0; w < vocabSize; w++) {
    if (!g.termPresent[w]) continue;
    for (let t = 0; t < k; t++) lambda[t * vocabSize + w] = g.termTopic[w * k + t]!;
  }
  return { k, vocabSize, lambda, alpha: new Float64Array(k).fill(g.alpha), eta: g.eta, gammaShape: g.gammaShape };
}

/** Distributed model fitted by LDA with the EM optimizer: the topics plus the training documents' topic counts. */
export class DistributedLDAModel extends LDAModel {
  private readonly graph: EmGraphState | null;
  private local: LocalLDAState | null = null;
  private checkpointFiles: string[] = [];

  constructor(options?: LDAOptions, uid?: string, graph?: EmGraphState) {
    super(options, uid);
    this.graph = graph ?? null;
  }

  /** The EM graph state (documents, edges, N_kj, N_wk, N_k). */
  getGraph(): EmGraphState {
    if (!this.graph) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `DistributedLDAModel ${this.uid}: has no graph (create it with LDA.fit or DistributedLDAModel.load)`);
    return this.graph;
  }

  protected localState(): LocalLDAState {
    if (!this.local) this.local = localFromEm(this.getGraph());
    return this.local;
  }

  isDistributed(): boolean {
    return true;
  }

  /** A LocalLDAModel with the same topics (N_wk), α, η and params; drops the training documents. */
  toLocal(): LocalLDAModel {
    const m = new LocalLDAModel(undefined, this.uid, this.localState());
    m.session = this.session;
    this.copyValues(m);
    m.setParent(this.parent);
    return m;
  }

  /**
   * Log likelihood of the training tokens given the fitted N_kj, N_wk (excludes the prior):
   * Σ_(j,w) N_wj log Σ_k φ_wk θ_kj, φ_wk = (N_wk + η − 1) / (N_k + W(η − 1)),
   * θ_·j = normalise(N_·j + α − 1).
   */
  trainingLogLikelihood(): number {
    const g = this.getGraph();
    const { k, vocabSize: W, alpha, eta } = g;
    const smoothedNk = g.topicTotals.map((x) => x + W * (eta - 1));
    const theta = new Float64Array(k);
    let ll = 0;
    for (let j = 0; j < g.docIds.length; j++) {
      let sum = 0;
      for (let t = 0; t < k; t++) {
        theta[t] = g.docTopic[j * k + t]! + alpha - 1;
        sum += theta[t]!;
      }
      for (let e = g.indptr[j]!; e < g.indptr[j + 1]!; e++) {
        const w = g.terms[e]!;
        let dot = 0;
        for (let t = 0; t < k; t++) dot += ((g.termTopic[w * k + t]! + eta - 1) / smoothedNk[t]!) * (theta[t]! / sum);
        ll += g.counts[e]! * Math.log(dot);
      }
    }
    return ll;
  }

  /** log P(topics, topic distributions for docs | α, η) of the fitted estimates. */
  logPrior(): number {
    const g = this.getGraph();
    const { k, vocabSize: W, alpha, eta } = g;
    const smoothedNk = g.topicTotals.map((x) => x + W * (eta - 1));
    let prior = 0;
    for (let w = 0; w < W; w++) {
      if (!g.termPresent[w]) continue;
      let s = 0;
      for (let t = 0; t < k; t++) s += Math.log((g.termTopic[w * k + t]! + eta - 1) / smoothedNk[t]!);
      prior += (eta - 1) * s;
    }
    for (let j = 0; j < g.docIds.length; j++) {
      let sum = 0;
      for (let t = 0; t < k; t++) sum += g.docTopic[j * k + t]! + alpha - 1;
      let s = 0;
      for (let t = 0; t < k; t++) s += Math.log((g.docTopic[j * k + t]! + alpha - 1) / sum);
      prior += (alpha - 1) * s;
    }
    return prior;
  }

  /** Checkpoint files of training: always empty (kindling does not checkpoint). */
  getCheckpointFiles(): string[] {
    return [...this.checkpointFiles];
  }

  deleteCheckpointFiles(): void {
    this.checkpointFiles = [];
  }

  protected topTerms(maxTermsPerTopic: number): Array<[number[], number[]]> {
    const g = this.getGraph();
    const out: Array<[number[], number[]]> = [];
    const present: number[] = [];
    for (let w = 0; w < g.vocabSize; w++) if (g.termPresent[w]) present.push(w);
    for (let t = 0; t < g.k; t++) {
      const weight = (w: number) => g.termTopic[w * g.k + t]! / g.topicTotals[t]!;
      const order = present.slice().sort((a, b) => weight(b) - weight(a) || a - b);
      const top = order.slice(0, maxTermsPerTopic);
      out.push([top, top.map(weight)]);
    }
    return out;
  }

  protected blank(): LDAModel {
    const m = new DistributedLDAModel(undefined, this.uid, this.graph ?? undefined);
    m.local = this.local;
    m.checkpointFiles = this.checkpointFiles;
    return m;
  }
}
