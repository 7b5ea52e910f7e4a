/**
 * Spark's threshold / thresholds rules of LogisticRegressionParams, shared by LogisticRegression
 * and LogisticRegressionModel: setThreshold clears a set thresholds and setThresholds a set
 * threshold; getThreshold is 1 / (1 + t0 / t1) when thresholds (of length 2) is set;
 * getThresholds is [1 − t, t] when only threshold is set; both set must agree (to 1e-5), with
 * Spark's messages (checkThresholdConsistency).
 */
import { Errors } from '../../src/errors.js';
import type { Params } from '../param/params.js';
import type { Mixin } from '../param/spec.js';
import type { LogisticRegressionParams } from './logistic-regression-params.js';

type Base = abstract new (...args: any[]) => Params & LogisticRegressionParams;

export interface LogisticThresholds {
  /** @internal Spark's checkThresholdConsistency. */
  checkThresholdConsistency(api: string): void;
}

export function LogisticThresholdsMixin<B extends Base>(B: B): B & Mixin<LogisticThresholds> {
  abstract class LogisticThresholdsImpl extends B implements LogisticThresholds {
    checkThresholdConsistency(api: string): void {
      if (this.isSet(this.threshold) && this.isSet(this.thresholds)) {
        const ts = this.get(this.thresholds)!;
        const t0 = this.getOrDefault(this.threshold);
        if (ts.length !== 2) {
          throw Errors.invalidArg(api, 'thresholds', `an array of 2 values (Logistic Regression found inconsistent values for threshold and thresholds.  Param threshold is set (${t0}), indicating binary classification, but Param thresholds is set with length ${ts.length}. Clear one Param value to fix this problem.)`, ts);
        }
        const t = 1 / (1 + ts[0]! / ts[1]!);
        if (!(Math.abs(t0 - t) < 1e-5)) {
          throw Errors.invalidArg(api, 'threshold', `a value equivalent to thresholds (Logistic Regression getThreshold found inconsistent values for threshold (${t0}) and thresholds (equivalent to ${t}))`, t0);
        }
      }
    }

    override getThreshold(): number {
      this.checkThresholdConsistency('getThreshold');
      if (this.isSet(this.thresholds)) {
        const ts = this.get(this.thresholds)!;
        if (ts.length !== 2) {
          throw Errors.invalidArg('getThreshold', 'thresholds', `an array of 2 values (Logistic Regression getThreshold only applies to binary classification, but thresholds has length != 2.  thresholds: ${ts.join(',')})`, ts);
        }
        return 1 / (1 + ts[0]! / ts[1]!);
      }
      return this.getOrDefault(this.threshold);
    }

    override setThreshold(value: number): this {
      if (this.isSet(this.thresholds)) this.clear(this.thresholds);
      return super.setThreshold(value);
    }

    override getThresholds(): number[] | undefined {
      this.checkThresholdConsistency('getThresholds');
      if (!this.isSet(this.thresholds) && this.isSet(this.threshold)) {
        const t = this.getOrDefault(this.threshold);
        return [1 - t, t];
      }
      return this.get(this.thresholds);
    }

    override setThresholds(value: number[]): this {
      if (this.isSet(this.threshold)) this.clear(this.threshold);
      return super.setThresholds(value);
    }
  }
  return LogisticThresholdsImpl;
}
