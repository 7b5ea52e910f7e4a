/** Frequent pattern mining (Spark's ml.fpm): FPGrowth / FPGrowthModel and PrefixSpan. */
export { FPGrowth, FPGrowthModel, associationRulesOf, type FPGrowthOptions, type FPGrowthModelOptions, type AssociationRule } from './fpgrowth.js';
export { PrefixSpan, type PrefixSpanOptions } from './prefixspan.js';
export { FPTree, Postfix, localPrefixSpan, FPM_SUMMARIES, FPM_MODULE, type Item as FrequentItem } from '../../src/kernels/fpm-tasks.js';
