/**
 * `MLWritable(Base)`: the persistence API of a registered stage class, written once (Spark's
 * MLWritable + MLReadable with DefaultParamsWriter / DefaultParamsReader):
 *
 *   stage.write().overwrite().save(path)   stage.save(path)   Class.read().session(s).load(path)   Class.load(path, session?)
 *
 *   export class KMeans extends MLWritable(KMeansParamsMixin(Estimator<KMeansModel>)) { … }
 *   register('org.apache.spark.ml.clustering.KMeans', KMeans);
 *   const km: KMeans = await KMeans.load(path);
 *
 * `load` and `read` are static methods typed by `this`, so each class's `load` returns its own
 * instances (a generic class gives its default instantiation: `CrossValidator.load(p)` is a
 * `CrossValidator<Model>`). What is written and read is the class's registration (persist.ts);
 * a class without this mixin has no save(), as a non-persistable stage in Spark.
 */
import type { Session } from '../src/session.js';
import type { Params } from './param/params.js';
import type { Mixin, ParamsClass } from './param/spec.js';
import { MLReader, MLWriter, loadAs, type ParamsCtor } from './persist.js';

/** The instance side: write() and save(path). */
export interface Writable {
  /** A writer: `.overwrite()`, `.session(spark)`, `.option(k, v)`, then `.save(path)`. */
  write(): MLWriter;
  /** Saves in Spark's layout (`write().save(path)`); an existing path is an error. */
  save(path: string): Promise<void>;
}

/** The static side: read() and load(path). */
export interface Readable {
  /** A reader of this class: `.session(spark)`, then `.load(path)`. */
  read<T extends Params>(this: ParamsCtor<T>): MLReader<T>;
  /** Loads a stage of this class saved at `path` (by kindling or Spark). */
  load<T extends Params>(this: ParamsCtor<T>, path: string, session?: Session): Promise<T>;
}

/** Gives a stage class write() / save() and static read() / load(). */
export function MLWritable<B extends ParamsClass>(Base: B): B & Mixin<Writable> & Readable {
  abstract class MLWritableImpl extends Base implements Writable {
    write(): MLWriter {
      return new MLWriter(this);
    }

    save(path: string): Promise<void> {
      return this.write().save(path);
    }

    static read<T extends Params>(this: ParamsCtor<T>): MLReader<T> {
      return new MLReader(this);
    }

    static load<T extends Params>(this: ParamsCtor<T>, path: string, session?: Session): Promise<T> {
      return loadAs(this, path, session);
    }
  }
  return MLWritableImpl;
}
