/** Frequent pattern mining (Spark's ml.fpm): FPGrowth / FPGrowthModel and PrefixSpan. */
export { FPGrowth, FPGrowthModel, type FPGrowthOptions, type FPGrowthModelOptions } from './fpgrowth.js';
export { associationRulesOf, type AssociationRule } from './association-rules.js';
export { PrefixSpan, type PrefixSpanOptions } from './prefixspan.js';
export { FPTree } from './fp-tree.js';
export { Postfix, localPrefixSpan } from './postfix.js';
export type { Item as FrequentItem } from './items.js';
