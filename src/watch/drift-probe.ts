import { recordsOfKind, type Inventory } from '../model/inventory.js';
import { makeProbeReader, type ProbeReader, type ProbeView, type SysctlTargets } from './probe-reader.js';
import { append } from '../model/multimap.js';

export interface DriftProbeOptions {
  readonly hostNetns: string | null;
  readonly intervalMs: number;
  /** A reconcile is running: its own changes are not drift, and the rebase after it sets the view. */
  readonly busy: () => boolean;
  /**
   * The proxy entries or a recorded sysctl differ from what the last reconcile left; `namespaces`:
   * the named ones whose sysctls differ (the host's part is read by every run anyway).
   */
  readonly onDrift: (namespaces: readonly string[]) => void;
  readonly onWarning: (message: string) => void;
  /** Tests give a reader of their own. */
  readonly reader?: ProbeReader;
}

/** `sysctl host net.ipv4.ip_forward`, `sysctl netns:ct1 net.ipv4.conf.all.rp_filter` → keys by namespace. */
export function sysctlTargets(inv: Inventory | undefined): SysctlTargets {
  const out = new Map<string | null, string[]>();
  for (const [id] of inv ? recordsOfKind(inv, 'sysctl') : []) {
    const m = /^sysctl (host|netns:(\S+)) (\S+)$/.exec(id);
    if (!m) continue;
    const ns = m.at(2) ?? null; // no group 2 for the host
    append(out, ns, m[3]);
  }
  return out;
}

/**
 * Proxy ARP/NDP entries and sysctls raise no netlink event, so a short timer of their own checks
 * them: every `intervalMs`, the host's proxy entries and the recorded sysctls (the only sysctls
 * ctnet owns) are read and compared with the view taken right after the last reconcile; a
 * difference triggers one reconcile, which decides what to repair. Nothing else is read, so it
 * stays cheap at any number of containers without sysctls of their own.
 */
export class DriftProbe {
  private readonly reader: ProbeReader;
  private targets: SysctlTargets = new Map();
  private baseline: ProbeView | undefined;
  /** The view read as the running reconcile started, before it observed anything. */
  private before: Promise<ProbeView | undefined> | undefined;
  /** Bumped by every rebase: a check that started before one compares against nothing. */
  private generation = 0;
  private checking = false;
  private failing = false;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly o: DriftProbeOptions) {
    this.reader = o.reader ?? makeProbeReader(o.hostNetns);
    this.timer = setInterval(() => void this.check(), o.intervalMs);
    this.timer.unref();
  }

  /** A reconcile starts: anything changed from now on is seen by its observation or by the next check. */
  beforeRun(): void {
    this.generation++;
    this.before = this.read();
  }

  /**
   * After a reconcile, the view to compare with is the one read before it observed: a view read
   * after it would take in a change made by hand during the run, which no check would then see.
   * A run that changed proxy entries or recorded sysctls therefore differs at the next check, and
   * that one more run, finding nothing to do, confirms the state it left.
   */
  async rebase(inv: Inventory | undefined): Promise<void> {
    const before = this.before;
    this.before = undefined;
    const gen = ++this.generation;
    if (inv) this.targets = sysctlTargets(inv);
    const view = (await before) ?? (await this.read());
    if (gen === this.generation) this.baseline = view;
  }

  close(): void {
    clearInterval(this.timer);
    this.generation++;
    this.reader.close();
  }

  private async check(): Promise<void> {
    if (this.checking || this.baseline === undefined || this.o.busy()) return;
    this.checking = true;
    const gen = this.generation;
    try {
      const now = await this.read();
      if (gen !== this.generation || this.o.busy() || now === undefined) return;
      const differ = differing(this.baseline, now);
      if (!differ.length) return;
      // one trigger per difference: the reconcile's rebase sets the next view
      this.baseline = undefined;
      this.o.onDrift(differ.filter((ns) => ns !== ''));
    } finally {
      this.checking = false;
    }
  }

  private async read(): Promise<ProbeView | undefined> {
    try {
      const v = await this.reader.read(this.targets);
      this.failing = false;
      return v;
    } catch (e) {
      if (!this.failing)
        this.o.onWarning(`checking proxy entries and sysctls: ${(e as Error).message}; the resync still runs`);
      this.failing = true;
      return undefined;
    }
  }
}

/** The parts (namespaces, `''` the host) whose fingerprints differ, or that one view lacks. */
function differing(a: ProbeView, b: ProbeView): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]);
}
