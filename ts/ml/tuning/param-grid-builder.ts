/**
 * `ParamGridBuilder`: the grid of ParamMaps a validator searches.
 *
 *   new ParamGridBuilder().addGrid(lr.regParam, [0.1, 0.01]).addGrid(lr.maxIter, [10, 50]).build()
 *
 * `build()` returns every combination in PySpark's order (itertools.product over the params in
 * the order they were first added: the last added param varies fastest); Scala iterates a hash
 * map, so its order is unspecified. `addGrid(param)` without values is the boolean grid
 * [true, false]; adding a param again replaces its values (keeping its place); `baseOn` fixes
 * params to one value. No params gives one empty ParamMap. Values are validated when added.
 */
import { Errors } from '../../src/errors.js';
import { Param, ParamMap } from '../param/params.js';

export class ParamGridBuilder {
  private readonly grid = new Map<Param<unknown>, unknown[]>();

  /**
   * Adds a param with the values to try (a boolean param with no values: [true, false]). The
   * values are typed by the param: a value outside an enumerated param's literal union
   * (`addGrid(kmeans.distanceMeasure, ['euclidean', 'manhattan'])`) does not compile.
   */
  addGrid<T>(param: Param<T>, values?: Iterable<NoInfer<T>>): this {
    const api = 'ParamGridBuilder.addGrid';
    if (!(param instanceof Param)) throw Errors.invalidArg(api, 'param', 'a Param of a stage (e.g. lr.regParam)', param);
    if (values !== undefined && (values === null || typeof (values as Iterable<T>)[Symbol.iterator] !== 'function' || typeof values === 'string')) {
      throw Errors.invalidArg(api, `values of ${param.name}`, 'an array of values', values);
    }
    const list: unknown[] = values === undefined ? [true, false] : [...values];
    if (list.length === 0) throw Errors.invalidArg(api, `values of ${param.name}`, 'a non-empty array of values', list);
    list.forEach((v, i) => {
      const why = param.validator(v as T);
      if (why !== null) throw Errors.invalidArg(api, `${param.name}[${i}] (param of ${param.parent})`, why, v);
    });
    this.grid.set(param as Param<unknown>, list);
    return this;
  }

  /** Fixes params to single values: baseOn(paramMap) or baseOn([param, value], …). */
  baseOn(...args: [ParamMap] | Array<[Param<any>, unknown]>): this {
    if (args.length === 1 && args[0] instanceof ParamMap) {
      for (const [p, v] of args[0].entries()) this.addGrid(p, [v]);
      return this;
    }
    for (const pair of args) {
      if (!Array.isArray(pair) || pair.length !== 2) throw Errors.invalidArg('ParamGridBuilder.baseOn', 'pairs', 'a ParamMap or [param, value] pairs', pair);
      this.addGrid(pair[0] as Param<unknown>, [pair[1]]);
    }
    return this;
  }

  /** Every combination of the values, the last added param varying fastest. */
  build(): ParamMap[] {
    let maps = [new ParamMap()];
    for (const [param, values] of this.grid) {
      const next: ParamMap[] = [];
      for (const m of maps) for (const v of values) next.push(m.copy().put(param, v));
      maps = next;
    }
    return maps;
  }
}
