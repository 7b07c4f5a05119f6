import { performance } from 'node:perf_hooks';
import type { DriverName } from '../driver/select.js';
import { reconcile } from '../engine/reconcile.js';
import { digestOf, type Loaded } from '../engine/load.js';
import type { Report } from '../engine/types.js';
import type { ObserveOnly } from '../observe/incremental.js';
import type { ObservedState } from '../model/kernel.js';
import { formatError, type CtnetError } from '../model/errors.js';
import type { Inventory } from '../model/inventory.js';
import { desiredNetns } from '../model/desired.js';
import type { Action } from '../plan/types.js';
import { DesiredSource } from './desired-source.js';
import { primaryTrigger, type Trigger } from './loop.js';
import type { Logger } from './logger.js';
import { ContestTracker } from './contest.js';
import { indexDesired, namespacesOfChanges, type DesiredIndex } from './changed-owners.js';

/** Triggers that say only "the kernel changed": the files are most likely as they were. */
const KERNEL_ONLY: ReadonlySet<Trigger> = new Set(['kernel', 'nftables']);

export interface CycleConfig {
  readonly dir: string;
  readonly stateDir: string;
  readonly hostNetns: string | null;
  readonly node?: string;
  readonly driverName?: DriverName;
  readonly allowEmpty: boolean;
  readonly log: Logger;
}

/**
 * `invalid`: the manifests are (the last good state, if any, was enforced); `changing`: read while being written, not
 * run.
 */
export type CycleResult = 'converged' | 'applied' | 'invalid' | 'rejected' | 'failed' | 'changing';

export interface CycleOutcome {
  readonly trigger: Trigger;
  readonly result: CycleResult;
  readonly durationMs: number;
  /** Actions that restored owned objects to manifests that had not changed. */
  readonly repairs: readonly Action[];
  /** Owned objects by kind, when the kernel was observed. */
  readonly managed?: Readonly<Record<string, number>>;
  readonly degraded: boolean;
  readonly transient: boolean;
  /** Objects left alone for now: someone else keeps changing them back. */
  readonly contested: number;
  /** When the first of them may be repaired again (ms): a run is due then, whatever else happens. */
  readonly releaseMs?: number;
  /** What ctnet owns after this run, when the kernel was observed (owned namespaces, recorded sysctls). */
  readonly inventory?: Inventory;
  /** Namespaces read from the kernel for the plan, the host included. */
  readonly observedNamespaces?: number;
  /** The namespaces kernel events named, when only they (and the host) were to be read. */
  readonly named?: readonly string[];
}

/** What kernel events named since the last run: namespace ids in the host (the host itself is always read). */
export interface Touched {
  readonly nsids: readonly number[];
}

/**
 * One full reconcile for the watch loop: read the directory (keeping the last good state), run
 * the engine with the lock the daemon already holds, and log what happened: the trigger, the plan
 * summary, the duration and the result, each drift repair, and each located error (once, not at
 * every resync while nothing changes).
 */
export class Cycle {
  private readonly source: DesiredSource;
  private lastRejected = '';
  private readonly contest = new ContestTracker();
  /** The last run's observation, while it is still the kernel's state (nothing changed after it). */
  private last: LastRun | undefined;
  /**
   * The manifests the kernel last fully matched (a run that left nothing undone): until a run
   * reaches that under new manifests, its changes finish the edit (objects left alone, a failed
   * run) and are no drift repairs.
   */
  private matched: string | undefined;
  private unheardNames = new Set<string>();

  constructor(private readonly c: CycleConfig) {
    this.source = new DesiredSource(c.dir, c.allowEmpty, c.node);
  }

  /**
   * `touched`: what kernel events named since the last run; a run triggered by kernel events alone
   * then reads only the host and those namespaces, and one triggered by files (and events) the
   * namespaces of the owners whose desired objects changed too. Anything else reads everything.
   */
  async run(triggers: ReadonlySet<Trigger>, touched?: Touched): Promise<CycleOutcome> {
    const t0 = performance.now();
    const trigger = primaryTrigger(triggers);
    const log = this.c.log;
    // kept only by a run that reaches the kernel and changes nothing: any other outcome reads everything next
    const last = this.last;
    this.last = undefined;
    const read = await this.source.read([...triggers].every((t) => KERNEL_ONLY.has(t) || t === 'probe'));
    const done = (result: CycleResult, more: Partial<CycleOutcome> = {}): CycleOutcome => ({
      trigger,
      result,
      durationMs: Math.round(performance.now() - t0),
      repairs: [],
      degraded: this.source.degraded || result === 'rejected',
      transient: result === 'failed',
      contested: this.contest.held().size,
      releaseMs: this.contest.nextRelease(),
      ...more,
    });
    if (read.kind === 'changing') {
      log.debug({ event: 'changing', trigger }, 'manifests changed while being read; waiting for the writer to finish');
      return done('changing');
    }
    let loaded: Loaded | undefined;
    if (read.kind === 'invalid') {
      if (read.fresh) {
        this.errors(read.errors, 'invalid-manifest');
        log.warn(
          { event: 'degraded', errors: read.errors.length },
          `manifests invalid (${read.errors.length} error${read.errors.length === 1 ? '' : 's'}): ${read.lastGood ? 'the last good state is kept' : 'nothing is applied'} until they are fixed`,
        );
      }
      loaded = read.lastGood;
      if (!loaded) return this.logged(done('invalid'), triggers);
    } else {
      loaded = read.loaded;
      if (read.recovered) log.info({ event: 'recovered' }, 'manifests valid again');
    }
    const digest = digestOf(loaded.set);
    // serializing every desired object costs: only for a comparison, or for the next run's
    let indexed: DesiredIndex | undefined;
    const desired = loaded.desired;
    const index = (): DesiredIndex => (indexed ??= indexDesired(desired));
    const unheard = [...this.unheardNames];
    this.unheardNames.clear();
    const observeOnly = incremental(last, triggers, touched, digest, index, unheard);
    const report = await reconcile({
      mode: 'apply',
      paths: [this.c.dir],
      stateDir: this.c.stateDir,
      hostNetns: this.c.hostNetns,
      driverName: this.c.driverName,
      lockHeld: true,
      loaded,
      hold: this.contest.held(),
      observeOnly,
    });
    // only an observation nothing changed after is worth keeping: a quiet run's, or what verification read after
    // the changes (its own events then name what it changed, and the next run reads only those)
    const quiet = report.outcome === 'no-changes' ? report.observed : report.verified;
    if (quiet) this.last = { observed: quiet, digest, index: index() };
    for (const n of report.notices) log.warn({ event: 'notice' }, n);
    const result = this.resultOf(report, read.kind === 'invalid');
    const held = new Set(report.held ?? []);
    // a repair that someone undid before verification is a repair all the same (a fight)
    const ran =
      report.outcome === 'applied' || (report.outcome === 'failed' && report.errors.every((e) => e.code === 'verify'));
    const acted = ran && report.plan ? report.plan.actions.filter((a) => !held.has(a.id)) : [];
    // what a manifest no longer asks for is pruned, in whichever run it goes: never a repair
    const prunes = pruned(acted, loaded);
    for (const a of prunes) {
      const where = a.netns && a.type !== 'netns' ? ` (netns ${a.netns})` : '';
      const fields = {
        kind: a.type,
        action: a.action,
        object: a.object,
        netns: a.netns,
        owner: a.owner,
        reason: a.reason,
      };
      log.info({ event: 'prune', ...fields }, `pruned: ${a.action} ${a.object}${where}: ${a.reason}`);
    }
    const matched = this.matched ?? report.plan?.inventory.lastApplied?.digest;
    const repairs = matched === digest ? acted.filter((a) => !prunes.includes(a)) : [];
    if (report.outcome === 'no-changes' || (report.outcome === 'applied' && !held.size)) this.matched = digest;
    for (const a of repairs) {
      log.info(
        { event: 'drift-repair', kind: a.type, action: a.action, object: a.object, netns: a.netns, reason: a.reason },
        `drift repaired: ${a.action} ${a.object}${a.netns && a.type !== 'netns' ? ` (netns ${a.netns})` : ''}: ${a.reason}`,
      );
    }
    for (const c of this.contest.repaired(repairs.map((a) => a.id))) {
      log.warn(
        { event: 'contested', object: c.id, repairs: c.repairs, backoffMs: c.backoffMs },
        `contested: ${c.id} was changed back ${c.repairs} times by someone else; left alone for ${Math.round(c.backoffMs / 1000)} s`,
      );
    }
    const observed = report.plan && (report.outcome === 'applied' || report.outcome === 'no-changes');
    return this.logged(
      done(result, {
        repairs,
        managed: observed ? managedOf(report) : undefined,
        inventory: observed ? report.plan.inventory : undefined,
        observedNamespaces: report.observedNamespaces,
        named: observeOnly?.namespaces,
      }),
      triggers,
      report,
    );
  }

  /** Whether the manifests (the last good state) ask for a namespace of this name. */
  namesNetns(name: string): boolean {
    const d = this.source.lastGood?.desired;
    return d !== undefined && desiredNetns(d).some((n) => n.obj.name === name);
  }

  /** Namespaces whose changes may have gone unheard since the last observation: the next run reads them again. */
  unheard(names: readonly string[]): void {
    for (const n of names) this.unheardNames.add(n);
  }

  private resultOf(r: Report, invalid: boolean): CycleResult {
    if (r.outcome === 'failed') {
      this.errors(r.errors, 'reconcile-failed');
      return 'failed';
    }
    if (r.outcome === 'rejected') {
      const key = r.errors.map(formatError).join('\n');
      if (key !== this.lastRejected) this.errors(r.errors, 'rejected');
      this.lastRejected = key;
      return 'rejected';
    }
    this.lastRejected = '';
    if (invalid) return 'invalid';
    return r.outcome === 'applied' ? 'applied' : 'converged';
  }

  private errors(errors: readonly CtnetError[], event: string): void {
    for (const e of errors)
      this.c.log.error(
        { event, code: e.code, file: e.file, line: e.line, column: e.column, path: e.path },
        formatError(e),
      );
  }

  private logged(o: CycleOutcome, triggers: ReadonlySet<Trigger>, r?: Report): CycleOutcome {
    const count = (k: string): number => (r?.plan?.actions ?? []).filter((a) => a.action === k).length;
    const plan = {
      create: count('create'),
      update: count('update'),
      replace: count('replace'),
      delete: count('delete'),
    };
    const seen =
      o.observedNamespaces === undefined
        ? ''
        : `; observed ${o.observedNamespaces} namespace${o.observedNamespaces === 1 ? '' : 's'}`;
    const msg = `reconcile (${o.trigger}): ${o.result}; plan: ${plan.create} to create, ${plan.update} to update, ${plan.replace} to replace, ${plan.delete} to delete; ${r?.commands ?? 0} commands in ${o.durationMs} ms${seen}`;
    const fields = {
      event: 'reconcile',
      trigger: o.trigger,
      triggers: [...triggers],
      result: o.result,
      plan,
      commands: r?.commands ?? 0,
      durationMs: o.durationMs,
      degraded: o.degraded,
      ...(o.observedNamespaces === undefined ? {} : { observed: o.observedNamespaces }),
      ...(o.named ? { named: [...o.named].sort() } : {}),
    };
    if (o.result === 'failed') this.c.log.error(fields, msg);
    else this.c.log.info(fields, msg);
    return o;
  }
}

/** Deletions of what belongs to a manifest object that is no longer in the manifests. */
function pruned(actions: readonly Action[], loaded: Loaded): Action[] {
  const owners = new Set(loaded.desired.objects.map((o) => o.owner));
  return actions.filter((a) => a.action === 'delete' && a.owner !== undefined && !owners.has(a.owner));
}

function managedOf(r: Report): Record<string, number> {
  const out: Record<string, number> = {};
  for (const id of Object.keys(r.plan?.inventory.objects ?? {})) {
    const kind = id.split(' ')[0];
    out[kind] = (out[kind] ?? 0) + 1;
  }
  return out;
}

/** What a run that changed nothing leaves for the next one: its observation, and what it was asked for. */
export interface LastRun {
  readonly observed: ObservedState;
  readonly digest: string;
  readonly index?: DesiredIndex;
}

/**
 * The namespaces to read when this run may reuse the last observation; undefined: read everything.
 * Kernel events name theirs; a file event reads those of the owners whose desired objects changed.
 * Either way only while every kernel event since the last run is known (`touched`).
 */
export function incremental(
  last: LastRun | undefined,
  triggers: ReadonlySet<Trigger>,
  touched: Touched | undefined,
  digest: string,
  index?: () => DesiredIndex,
  unheard: readonly string[] = [],
): ObserveOnly | undefined {
  if (!last || !touched) return undefined;
  // the probe names the namespaces whose sysctls it saw change (`unheard`); the host is read anyway
  if (![...triggers].every((t) => KERNEL_ONLY.has(t) || t === 'file' || t === 'probe')) return undefined;
  let changed: string[] = [];
  // the same manifests after a file event (a kernel event's run already read the new file): nothing to add
  if (last.digest !== digest) {
    if (!index || !last.index) return undefined;
    changed = namespacesOfChanges(last.index, index());
  }
  const byId = new Map(Object.entries(last.observed.netnsIds ?? {}).map(([name, id]) => [id, name]));
  const namespaces: string[] = [];
  for (const id of touched.nsids) {
    const name = byId.get(id);
    // a namespace the last observation cannot name: anything may have changed
    if (name === undefined) return undefined;
    namespaces.push(name);
  }
  return { namespaces: [...new Set([...namespaces, ...changed, ...unheard])], previous: last.observed };
}
