/**
 * `spark.udf.fromModel(uri)`: a logged or registered model as a DataFrame function. ts/src does
 * not import ts/ml (docs/ARCHITECTURE.md, "Layers"), so the loader is registered by `kindling/ml`
 * when it is imported (ts/ml/models/load-model.ts), as model URI schemes are.
 */
import { Errors } from './errors.js';
import type { DataFrame } from './dataframe/dataframe.js';

export type ModelUdf = (df: DataFrame) => DataFrame;

let loader: ((uri: string) => Promise<ModelUdf>) | null = null;

/** Called once by kindling/ml: how a model URI becomes a DataFrame function. */
export function registerModelUdfLoader(load: (uri: string) => Promise<ModelUdf>): void {
  loader = load;
}

/** Spark's `spark.udf`: user functions over columns (fromModel for now; issue 12 adds the rest). */
export class UDFRegistration {
  /** A model URI (path, runs:/, models:/) as `df => df + the model's output column`, run on the executors. */
  async fromModel(uri: string): Promise<ModelUdf> {
    if (!loader) throw Errors.invalidArg('spark.udf.fromModel', 'uri', "a model loader: import 'kindling/ml' first (it registers it)", uri);
    return loader(uri);
  }
}
