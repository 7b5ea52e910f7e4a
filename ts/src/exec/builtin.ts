/**
 * The partition summaries kindling ships, by name. Workers import this module statically, so
 * built-in summaries resolve without a dynamic import (which also keeps them loadable when the
 * package runs from TypeScript sources under a loader such as tsx, whose hooks do not reach
 * dynamic imports inside worker threads on Node 20).
 */
import { momentsSummary } from '../kernels/moments.js';
import { groupAggSummary } from '../kernels/group-agg.js';
import { kmeansStepSummary } from '../kernels/distance.js';
import { gmmStepSummary } from '../kernels/gmm.js';
import { stageSummary } from '../dataframe/stage.js';
import { FPM_SUMMARIES } from '../kernels/fpm-tasks.js';
import type { Summary } from './summary.js';

export const BUILTIN_SUMMARIES: Readonly<Record<string, Readonly<Record<string, Summary<any, any, any>>>>> = {
  'kindling:moments': { momentsSummary },
  'kindling:group-agg': { groupAggSummary },
  'kindling:distance': { kmeansStepSummary },
  'kindling:gmm': { gmmStepSummary },
  'kindling:stage': { stageSummary },
  'kindling:fpm': FPM_SUMMARIES,
};
