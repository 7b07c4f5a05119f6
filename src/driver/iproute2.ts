import { existsSync, statSync, readdirSync } from 'node:fs';
import type { NsObjects, NsRef, ObservedState } from '../model/kernel.js';
import { parseAddresses, parseLinks, parseProxyNeighbors, parseRoutes } from '../observe/parse-ip.js';
import { parseJsonStream } from './json-stream.js';
import { pool, run } from './spawn.js';
import { readSysctls, writeSysctls } from './sysctl.js';
import type { Batch, BatchFailure, Driver, ObserveRequest } from './types.js';

const PARALLEL = 4;
const OBSERVE_LINES = ['link show', 'address show', 'route show table all', 'neigh show proxy'].join('\n') + '\n';

/** The iproute2 driver: one `ip -batch` process per namespace and phase, namespaces in parallel. */
export class Iproute2Driver implements Driver {
  constructor(readonly hostNetns: string | null) {}

  private nsArgs(ns: NsRef | 'root'): string[] {
    if (ns === 'root') return [];
    if (ns === null) return this.hostNetns ? ['-n', this.hostNetns] : [];
    return ['-n', ns];
  }

  async listNetns(): Promise<string[]> {
    try {
      return readdirSync('/run/netns').filter((n) => !n.startsWith('.')).sort();
    } catch {
      return [];
    }
  }

  async observe(req: ObserveRequest): Promise<ObservedState> {
    const listed = await this.listNetns();
    const wanted = req.namespaces.filter((n) => listed.includes(n));
    const [host, ...rest] = await pool<NsRef, NsObjects | undefined>([null, ...wanted], PARALLEL, (ns) => this.observeNs(ns));
    const sysctls = await readSysctls(this.hostNetns, req.sysctls);
    // a namespace deleted between listing and reading is simply gone, not an error
    const gone = new Set(wanted.filter((_, i) => rest[i] === undefined));
    const namespaces = Object.fromEntries(wanted.flatMap((n, i) => (rest[i] ? [[n, rest[i]]] : [])));
    const netnsNames = listed.filter((n) => !gone.has(n));
    return { host: { ...host!, sysctls }, netnsNames, netnsIds: await this.netnsIds(), namespaces };
  }

  /** `ip netns list` run in the host namespace numbers the namespaces as the host's links do. */
  private async netnsIds(): Promise<Record<string, number>> {
    const res = await run('ip', [...this.nsArgs(null), '-json', 'netns', 'list']);
    const list = res.stdout.trim() ? (JSON.parse(res.stdout) as { name: string; id?: number }[]) : [];
    return Object.fromEntries(list.filter((n) => n.id !== undefined).map((n) => [n.name, n.id!]));
  }

  /** One process per namespace; an interrupted dump is retried, never taken as data. */
  private async observeNs(ns: NsRef): Promise<NsObjects | undefined> {
    for (let attempt = 0; ; attempt++) {
      const res = await run('ip', [...this.nsArgs(ns), '-N', '-d', '-json', '-batch', '-'], OBSERVE_LINES);
      const interrupted = /Dump was interrupted/.test(res.stderr);
      if (res.code === 0 && !interrupted) {
        const [links, addrs, routes, neigh] = parseJsonStream(res.stdout);
        return { links: parseLinks(links), addresses: parseAddresses(addrs), routes: parseRoutes(routes), neighbors: parseProxyNeighbors(neigh), sysctls: {} };
      }
      if (ns !== null && !existsSync(`/run/netns/${ns}`)) return undefined;
      if (attempt >= 4 || !interrupted) throw new Error(`observing ${ns ?? 'the host'} failed: ${res.stderr.trim()}`);
    }
  }

  run(batches: readonly Batch[]): Promise<BatchFailure[]> {
    return pool(batches, PARALLEL, (b) => this.runBatch(b)).then((r) => r.flat());
  }

  private async runBatch(b: Batch): Promise<BatchFailure[]> {
    if ('sysctls' in b) {
      const host = b.ns === null ? this.hostNetns : b.ns;
      const failures = await writeSysctls(host, b.sysctls);
      return failures.map((f) => ({ ns: b.ns, command: 'sysctl', message: f.message }));
    }
    const res = await run('ip', [...this.nsArgs(b.ns), '-batch', '-'], b.lines.join('\n') + '\n');
    if (res.code === 0) return [];
    const m = res.stderr.match(/Command failed -:(\d+)/);
    const line = m ? b.lines[Number(m[1]) - 1] : b.lines.join('; ');
    const message = res.stderr.replace(/Command failed -:\d+\s*/g, '').trim();
    return [{ ns: b.ns, command: `ip ${[...this.nsArgs(b.ns), line].join(' ')}`, message }];
  }
}

/**
 * Under `ip netns exec` ctnet's own network namespace is one of the named ones, and namespaces
 * it mounts would stay in that process's private mount namespace.
 */
export function runsInsideNamedNetns(): string | undefined {
  try {
    const self = statSync('/proc/self/ns/net').ino;
    return readdirSync('/run/netns').find((n) => statSync(`/run/netns/${n}`).ino === self);
  } catch {
    return undefined;
  }
}
