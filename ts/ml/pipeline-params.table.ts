/** The param table of Spark's Pipeline; pipeline-params.ts is generated from it. */
import { param, paramFamily } from './param/spec.js';
import { PipelineStage } from './stage.js';

export const PipelineParamsTable = paramFamily('PipelineParams', {
  doc: "The params of Spark's Pipeline.",
  typeImports: { PipelineStage: './stage.js' },
  params: {
    stages: param.of<PipelineStage[]>('PipelineStage[]', 'stages of the pipeline', {
      validate: (v) => (Array.isArray(v) && v.every((s) => s instanceof PipelineStage) ? null : 'an array of pipeline stages (Estimators or Transformers)'),
    }),
  },
});
