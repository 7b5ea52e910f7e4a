/**
 * LDA's corpus, prepared once and kept on the executors (docs/ARCHITECTURE.md, "Training data
 * stays where it lives"): `prepareDocs` runs `ldaPackDocs` (lda-tasks.ts) over the DataFrame's
 * partitions, where they are, so each partition's term counts are checked once and kept as CSR
 * blocks. The driver keeps what ml/data's `Instances` keeps — block ids, rows per block, each
 * block's first global row number (`rowBases`: the document ids, which key the documents' random
 * draws) and the dimension, here the vocabulary size — so a fit's iterations, or an evaluation,
 * name the blocks and ship broadcast state only. (`Instances.gather` reads dense rows: it does
 * not apply to document blocks.)
 *
 * Errors name the row over the whole DataFrame in partition order: each partition reports its
 * first bad row and its first row's size, and the driver checks the sizes across partitions
 * (the first row of the DataFrame sets vocabSize, unless a model's vocabSize is given).
 */
import { Errors } from '../../src/errors.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { frameSource } from '../../src/dataframe/physical.js';
import { throwBadRow } from '../data/features.js';
import { Instances } from '../data/instances.js';
import type { PackMeta } from '../data/instances-tasks.js';
import { featuresIndex } from './lda-common.js';
import { sizeMismatch } from './lda-docs.js';
import { ldaPackDocs, type DocsSpec } from './lda-tasks.js';

/**
 * The documents of `df`'s column `featuresCol` packed on the executors (`d` = vocabSize, −1 when
 * there are no rows); `vocabSize` is a model's, which every row must have. Release when done.
 */
export async function prepareDocs(api: string, df: DataFrame, featuresCol: string, vocabSize?: number): Promise<Instances> {
  featuresIndex(api, df.schema, featuresCol);
  const session = df.session;
  const ctx = session.execContext();
  const source = await frameSource(df.plan, ctx);
  const splits = Math.max(1, Math.ceil(ctx.backend.parallelism / Math.max(1, source.inputs.length)));
  const fixed = vocabSize !== undefined;
  const spec: DocsSpec = { featuresCol, vocabSize: vocabSize ?? -1, splits };
  const blocks = await session.keepTasks<unknown, DocsSpec, PackMeta>(ldaPackDocs, source, spec);
  try {
    let base = 0;
    let size = vocabSize ?? -1;
    for (const p of blocks.parts) {
      const m = p.meta;
      // a partition's first row sets its size before any other check of its rows
      if (!fixed && m.d >= 0) {
        if (size < 0) size = m.d;
        else if (m.d !== size) throw Errors.badRow(api, `column ${featuresCol}`, base, sizeMismatch(m.d, size, false));
      }
      if (m.bad) throwBadRow(api, m.bad, base);
      base += m.n;
    }
    return new Instances(session, blocks, size, false);
  } catch (err) {
    blocks.release();
    throw err;
  }
}
