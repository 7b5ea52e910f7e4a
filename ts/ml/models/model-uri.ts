/**
 * Model URIs, as MLflow names models (../shared/formats/MLFLOW.md §3): a local directory path or
 * `file:` URL, `runs:/<run_id>/<artifact path>`, `models:/<name>/<version | stage>` and
 * `models:/<name>@<alias>`. Paths resolve here; each scheme is resolved by the store that knows
 * it (the tracking store registers `runs`, the model registry `models`), so loading a model
 * needs no knowledge of where stores live.
 */
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { Errors } from '../../src/errors.js';

/** Turns a URI of one scheme into the local directory that holds the model. */
export type ModelUriResolver = (uri: string) => Promise<string>;

const resolvers = new Map<string, ModelUriResolver>();

/** Registers the resolver of a scheme (`runs`, `models`); a second registration replaces the first. */
export function registerModelUriScheme(scheme: string, resolver: ModelUriResolver): void {
  resolvers.set(scheme, resolver);
}

/** The local directory a model URI names (throws naming the URI when no store knows its scheme). */
export async function resolveModelUri(uri: string): Promise<string> {
  if (typeof uri !== 'string' || uri === '') throw Errors.invalidArg('resolveModelUri', 'uri', "a path, file: URL, 'runs:/<run_id>/<path>' or 'models:/<name>/<version|stage>'", uri);
  if (uri.startsWith('file:')) return fileURLToPath(uri);
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(uri);
  if (!m || m[1]!.length === 1) return resolve(uri); // a path (a Windows drive letter is not a scheme)
  const resolver = resolvers.get(m[1]!.toLowerCase());
  if (!resolver) throw Errors.invalidArg('resolveModelUri', 'uri', `a scheme among ${['file', ...resolvers.keys()].join(', ')} (or a path)`, uri);
  return resolver(uri);
}
