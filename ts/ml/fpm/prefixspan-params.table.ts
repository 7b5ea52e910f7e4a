/** The param table of Spark's PrefixSpan; prefixspan-params.ts is generated from it. */
import { ParamValidators as V } from '../param/params.js';
import { param, paramFamily } from '../param/spec.js';

export const PrefixSpanParamsTable = paramFamily('PrefixSpanParams', {
  doc: "The params of Spark's PrefixSpan.",
  params: {
    minSupport: param.number(
      'The minimal support level of the sequential pattern. Sequential pattern that appears more than (minSupport * size-of-the-dataset) times will be output.',
      { default: 0.1, validate: V.gtEq(0) },
    ),
    maxPatternLength: param.number('The maximal length of the sequential pattern.', { default: 10, validate: V.intGt(0) }),
    maxLocalProjDBSize: param.number(
      'The maximum number of items (including delimiters used in the internal storage format) allowed in a projected database before local processing. If a projected database exceeds this size, another iteration of distributed prefix growth is run.',
      { default: 32000000, validate: (v) => (Number.isSafeInteger(v) && v > 0 ? null : 'integer > 0') },
    ),
    sequenceCol: param.string('The name of the sequence column in dataset, rows with nulls in this column are ignored.', { default: 'sequence', validate: V.str() }),
  },
});
