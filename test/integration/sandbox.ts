import { expect } from 'vitest';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { registryDir } from '../../src/state/host-registry.js';

const BIN = resolve(import.meta.dirname, '../../bin/ctnet.js');
/**
 * A snapshot lists every namespace on the machine (names, ids, identities): with other work's
 * namespaces around it outgrows spawnSync's default 1 MiB, which cuts the JSON short.
 */
const MAX_OUTPUT = 64 * 1024 * 1024;

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A run whose end may be a signal: `status` is null and `signal` set when it was killed. */
export interface ExitResult extends RunResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A ctnet started in the background, in its own process group (`kill()` ends the whole group). */
export interface Background {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly done: Promise<ExitResult>;
  kill(signal?: NodeJS.Signals): void;
}

/**
 * A sandbox: a namespace playing the host, an "external" namespace on its uplink LAN, a state
 * dir and a manifest dir, all named with one random prefix and removed afterwards, on failure too.
 */
export class Sandbox {
  readonly prefix = `ctt${randomBytes(3).toString('hex')}`;
  readonly host = `${this.prefix}-host`;
  readonly dir = mkdtempSync(join(tmpdir(), 'ctnet-test-'));
  readonly stateDir = join(this.dir, 'state');
  readonly manifestDir = join(this.dir, 'manifests');
  /** Namespaces made by `external()`: the LAN, not ctnet's. */
  readonly externals = new Set<string>();

  constructor() {
    mkdirSync(this.manifestDir);
    sh('ip', 'netns', 'add', this.host);
    sh('ip', '-n', this.host, 'link', 'set', 'lo', 'up');
  }

  /** Names unique to this sandbox: `ns('ct101')` → `ctt1a2b3c-ct101`. */
  ns(name: string): string {
    return `${this.prefix}-${name}`;
  }

  /** An external namespace joined to the host by a veth: `uplink` in the host, `lan0` outside. */
  external(name: string, uplink: string, hostAddr: string | undefined, extAddr: string): string {
    const ext = this.ns(name);
    this.externals.add(ext);
    sh('ip', 'netns', 'add', ext);
    sh('ip', '-n', ext, 'link', 'set', 'lo', 'up');
    sh('ip', '-n', this.host, 'link', 'add', uplink, 'up', 'type', 'veth', 'peer', 'name', 'lan0', 'netns', ext);
    sh('ip', '-n', ext, 'link', 'set', 'lan0', 'up');
    sh('ip', '-n', ext, 'addr', 'add', extAddr, 'dev', 'lan0');
    if (hostAddr) sh('ip', '-n', this.host, 'addr', 'add', hostAddr, 'dev', uplink);
    return ext;
  }

  write(file: string, text: string): string {
    const p = join(this.manifestDir, file);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text.replaceAll('@', `${this.prefix}-`));
    return p;
  }

  remove(file: string): void {
    rmSync(join(this.manifestDir, file), { force: true });
  }

  ctnet(...args: string[]): RunResult {
    const r = spawnSync('node', [BIN, '--host-netns', this.host, '--state-dir', this.stateDir, '--no-color', ...args], {
      encoding: 'utf8',
      maxBuffer: MAX_OUTPUT,
    });
    return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
  }

  /**
   * `ctnet` with extra environment variables (and another state dir with `--state-dir` in args, the later flag wins).
   */
  ctnetEnv(env: Record<string, string>, ...args: string[]): ExitResult {
    const r = spawnSync('node', [BIN, '--host-netns', this.host, '--state-dir', this.stateDir, '--no-color', ...args], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
      maxBuffer: MAX_OUTPUT,
    });
    return { code: r.status ?? 1, status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
  }

  /** `ctnet` in the background, detached into its own process group. */
  ctnetBackground(args: readonly string[], env: Record<string, string> = {}): Background {
    return background([BIN, '--host-netns', this.host, '--state-dir', this.stateDir, '--no-color', ...args], env);
  }

  /** This sandbox's namespaces other than the one playing the host and the external ones. */
  namespaces(): string[] {
    return readdirSync('/run/netns')
      .filter((n) => n.startsWith(`${this.prefix}-`) && n !== this.host && !this.externals.has(n))
      .sort();
  }

  cleanup(): void {
    // the host-wide registry of the namespace playing the host (shared host sysctls) goes with it
    const registry = registryDir(this.host);
    if (registry) rmSync(registry, { recursive: true, force: true });
    for (const n of readdirSync('/run/netns').filter((x) => x.startsWith(this.prefix))) {
      spawnSync('ip', ['netns', 'del', n]);
      // a crash test may leave a name with nothing mounted on it
      try {
        rmSync(join('/run/netns', n), { force: true });
      } catch {
        // still mounted (busy): nothing more to do here
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** `node ARGV...` detached into its own process group: `kill()` ends the whole group. */
export function background(argv: readonly string[], env: Record<string, string> = {}): Background {
  const child = spawn('node', argv, {
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<ExitResult>((res) =>
    child.on('close', (status, signal) => res({ code: status ?? 1, status, signal, stdout, stderr })),
  );
  const kill = (signal: NodeJS.Signals = 'SIGKILL'): void => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  return { child, pid: child.pid!, done, kill };
}

export function sh(cmd: string, ...args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `ip -json` in a namespace. */
export function ipj(ns: string, ...args: string[]): any[] {
  const out = sh('ip', '-n', ns, '-json', ...args);
  return out.trim() ? JSON.parse(out) : [];
}

export function ping(ns: string, addr: string): boolean {
  return spawnSync('ip', ['netns', 'exec', ns, 'ping', '-c', '1', '-W', '2', addr], { encoding: 'utf8' }).status === 0;
}

export function sysctl(ns: string, key: string): string {
  return sh('ip', 'netns', 'exec', ns, 'cat', `/proc/sys/${key.replaceAll('.', '/')}`).trim();
}

/**
 * The host namespace's objects, without counters, indexes and the kernel's own IPv6 link-locals
 * (they appear when DAD on a new link finishes, whatever ctnet does).
 */
export function hostSnapshot(ns: string) {
  return {
    links: ipj(ns, 'link', 'show')
      .map((l) => `${l.ifname} ${l.mtu} ${l.address} ${l.master ?? ''} ${l.flags.includes('UP')}`)
      .sort(),
    addrs: ipj(ns, 'addr', 'show')
      .flatMap((l) =>
        l.addr_info
          .filter((a: any) => !a.local.startsWith('fe80:'))
          .map((a: any) => `${l.ifname} ${a.local}/${a.prefixlen}`),
      )
      .sort(),
    routes: ipj(ns, 'route', 'show', 'table', 'all')
      .filter((r) => !r.dst.startsWith('fe80:'))
      .map((r) => JSON.stringify(r))
      .sort(),
    neigh: ipj(ns, 'neigh', 'show', 'proxy')
      .map((n) => JSON.stringify(n))
      .sort(),
  };
}

/** Polls a condition (every 20 ms, up to `ms`): tests wait for what they observe, never for a fixed delay. */
export function waitUntil(cond: () => boolean, ms = 5000): void {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
}

/** Asserts a run's exit code, showing its stderr (and stdout) when it is not the expected one. */
export function expectExit(r: RunResult, code: number): RunResult {
  expect(r.code, `exit ${r.code}\nstderr: ${r.stderr}\nstdout: ${r.stdout.slice(0, 2000)}`).toBe(code);
  return r;
}
