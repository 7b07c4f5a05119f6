import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { registryDir } from '../../src/state/host-registry.js';
import { background, Sandbox, sh, type Background, type RunResult } from './sandbox.js';

const BIN = resolve(import.meta.dirname, '../../bin/ctnet.js');

/**
 * Several hosts from one repository, on one kernel: a namespace per host (`hN`, playing that
 * host, with its own state dir) whose uplink eth0 joins an underlay bridge in a LAN namespace,
 * which also plays a machine on the LAN (10.99.0.254, fd99::254). Host N is 10.99.0.N.
 */
export class Fleet {
  readonly sb = new Sandbox();
  readonly lan = this.sb.ns('lan');
  readonly hosts: string[];

  constructor(readonly count: number) {
    this.sb.externals.add(this.lan);
    sh('ip', 'netns', 'add', this.lan);
    sh('ip', '-n', this.lan, 'link', 'set', 'lo', 'up');
    sh('ip', '-n', this.lan, 'link', 'add', 'br0', 'up', 'type', 'bridge');
    sh('ip', '-n', this.lan, 'addr', 'add', '10.99.0.254/24', 'dev', 'br0');
    sh('ip', '-n', this.lan, 'addr', 'add', 'fd99::254/64', 'dev', 'br0', 'nodad');
    this.hosts = Array.from({ length: count }, (_, i) => this.addHost(i + 1));
  }

  private addHost(n: number): string {
    const h = this.sb.ns(`h${n}`);
    this.sb.externals.add(h);
    sh('ip', 'netns', 'add', h);
    sh('ip', '-n', h, 'link', 'set', 'lo', 'up');
    sh('ip', '-n', h, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', `p${n}`, 'netns', this.lan);
    sh('ip', '-n', this.lan, 'link', 'set', `p${n}`, 'master', 'br0', 'up');
    sh('ip', '-n', h, 'link', 'set', 'eth0', 'up');
    sh('ip', '-n', h, 'addr', 'add', `10.99.0.${n}/24`, 'dev', 'eth0');
    sh('ip', '-n', h, 'addr', 'add', `fd99::${n}/64`, 'dev', 'eth0', 'nodad');
    mkdirSync(this.stateDir(n), { recursive: true });
    return h;
  }

  stateDir = (n: number): string => join(this.sb.dir, `state-h${n}`);

  private argv(n: number, args: readonly string[]): string[] {
    const host = this.hosts[n - 1];
    return [BIN, '--host-netns', host, '--node', `h${n}`, '--state-dir', this.stateDir(n), '--no-color', ...args];
  }

  /** `ctnet` on host N. */
  ctnet(n: number, ...args: string[]): RunResult {
    const r = spawnSync('node', this.argv(n, args), { encoding: 'utf8', maxBuffer: 64 << 20 });
    return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
  }

  /** `ctnet watch` on host N, in its own process group. */
  watch(n: number, ...args: string[]): Background {
    return background(this.argv(n, ['watch', this.sb.manifestDir, ...args]));
  }

  cleanup(): void {
    for (const h of this.hosts) {
      const registry = registryDir(h);
      if (registry) rmSync(registry, { recursive: true, force: true });
    }
    this.sb.cleanup();
  }
}
