import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CycleOutcome } from './cycle.js';

export interface Health {
  readonly ok: boolean;
  readonly status: string;
}

/**
 * The daemon's Prometheus metrics (prom-client, a registry of its own so nothing global leaks
 * in) and the health `/healthz` reports: healthy while converged, and while degraded on invalid
 * input (the last good state is still enforced); unhealthy before the first reconcile and while
 * reconciles fail (observe, apply or verify errors).
 */
export class WatchMetrics {
  readonly registry = new Registry();
  private readonly reconciles = new Counter({
    name: 'ctnet_reconciles_total',
    help: 'Reconciles run, by what triggered them and their result',
    labelNames: ['trigger', 'result'],
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'ctnet_reconcile_duration_seconds',
    help: 'Duration of a reconcile (load to verify)',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly repairs = new Counter({
    name: 'ctnet_drift_repairs_total',
    help: 'Owned objects restored after someone changed or deleted them, by kind',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  private readonly managed = new Gauge({
    name: 'ctnet_managed_objects',
    help: 'Objects this instance owns, by kind',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  private readonly lastSuccess = new Gauge({
    name: 'ctnet_last_success_timestamp_seconds',
    help: 'When a reconcile last converged (Unix time)',
    registers: [this.registry],
  });
  private readonly degraded = new Gauge({
    name: 'ctnet_degraded',
    help: '1 while the manifests are invalid or rejected and the last good state is kept',
    registers: [this.registry],
  });
  private readonly contested = new Gauge({
    name: 'ctnet_contested_objects',
    help: 'Objects someone else keeps changing back, left alone for now (exponential backoff)',
    registers: [this.registry],
  });
  private state: Health = { ok: false, status: 'starting' };

  record(o: CycleOutcome): void {
    if (o.result === 'changing') return;
    this.reconciles.inc({ trigger: o.trigger, result: o.result });
    this.duration.observe(o.durationMs / 1000);
    this.degraded.set(o.degraded ? 1 : 0);
    if (o.result === 'converged' || o.result === 'applied') this.lastSuccess.set(Date.now() / 1000);
    if (o.managed) {
      this.managed.reset();
      for (const [kind, n] of Object.entries(o.managed)) this.managed.set({ kind }, n);
    }
    this.countRepairs(o);
    this.state =
      o.result === 'failed' ? { ok: false, status: 'failing' } : { ok: true, status: o.degraded ? 'degraded' : 'ok' };
  }

  health(): Health {
    return this.state;
  }

  private countRepairs(o: CycleOutcome): void {
    for (const a of o.repairs) this.repairs.inc({ kind: a.type });
    this.contested.set(o.contested);
  }
}
