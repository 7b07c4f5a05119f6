import { open, readdir, readFile } from 'node:fs/promises';
import { getSystemErrorMap } from 'node:util';
import { run } from './spawn.js';

/**
 * Sysctls, read and written without a shell: in-process under /proc/sys for the real host,
 * through `ip netns exec NS tee|grep` (argv only, values on stdin) in a named namespace.
 */

const PROC_SYS = '/proc/sys/';
const SAFE_KEY = /^[A-Za-z0-9_.\-/]+$/;
const SAFE_VALUE = /^[A-Za-z0-9_.:, \t-]*$/;
const SAFE_LEAF = /^[A-Za-z0-9_-]+$/;

/** Throws for a family other than 4/6 or an unsafe leaf name (as `readSysctlFamily` does). */
export function checkSysctlFamily(family: number, leaf: string): void {
  if (family !== 4 && family !== 6) throw new Error(`invalid address family ${String(family)}`);
  if (!SAFE_LEAF.test(leaf)) throw new Error(`invalid sysctl leaf "${leaf}"`);
}
/** Trees whose keys carry an interface name, which may itself contain dots (`eth0.100`). */
const IFACE_KEY = /^(net\.ipv[46]\.(?:conf|neigh)|net\.mpls\.conf)\.(.+)\.([^.]+)$/;

/**
 * `net.ipv4.ip_forward` → `/proc/sys/net/ipv4/ip_forward`;
 * `net.ipv4.conf.eth0.100.forwarding` → `/proc/sys/net/ipv4/conf/eth0.100/forwarding`;
 * `net/ipv4/conf/eth0.100/forwarding` (slash form) is taken as it is.
 * Throws for keys that are empty, absolute, outside `[A-Za-z0-9_.\-/]` or with `.`/`..`/empty segments.
 */
export function sysctlPath(key: string): string {
  if (!SAFE_KEY.test(key)) throw new Error(`invalid sysctl key "${key}": only A-Z a-z 0-9 _ . - / are allowed`);
  let rel: string;
  if (key.includes('/')) rel = key;
  else {
    const m = IFACE_KEY.exec(key);
    rel = m ? `${m[1].replace(/\./g, '/')}/${m[2]}/${m[3]}` : key.replace(/\./g, '/');
  }
  if (rel.split('/').some((s) => s === '' || s === '.' || s === '..'))
    throw new Error(`invalid sysctl key "${key}": empty, "." or ".." path segment`);
  return PROC_SYS + rel;
}

/** Throws for an unsafe key or value (see `sysctlPath`; values: `[A-Za-z0-9_.:, \t-]*`). */
export function checkSysctl(key: string, value?: string): void {
  sysctlPath(key);
  if (value !== undefined && !SAFE_VALUE.test(value))
    throw new Error(`invalid sysctl value "${value}" for ${key}: only A-Z a-z 0-9 _ . : , - space and tab are allowed`);
}

/** `/proc/sys/net/ipv4/conf/eth0.100/forwarding` → `net.ipv4.conf.eth0.100.forwarding`. */
export const keyOfPath = (path: string): string => path.slice(PROC_SYS.length).replace(/\//g, '.');

/** `EINVAL` → `Invalid argument`, as strerror (and so tee) words it. */
export function errnoText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const entry = typeof err.errno === 'number' ? getSystemErrorMap().get(err.errno) : undefined;
  const text = entry?.[1] ?? err.message;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `grep -H` output → path → value (multi-line values joined with newlines). */
function parseGrepH(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    if (!line.startsWith(PROC_SYS)) continue;
    const i = line.indexOf(':'); // paths are checked to hold no ':'
    if (i < 0) continue;
    const path = line.slice(0, i);
    const value = line.slice(i + 1);
    const had = out.get(path);
    out.set(path, had === undefined ? value : `${had}\n${value}`);
  }
  for (const [p, v] of out) out.set(p, v.trim());
  return out;
}

/** grep exits 2 for an unreadable file too; anything that is not grep's own complaint is a real failure. */
function grepFailed(netns: string, res: { code: number; stderr: string }): void {
  if (res.code === 0 || res.code === 1) return;
  const foreign = res.stderr.split('\n').filter((l) => l.trim() && !l.startsWith('grep: '));
  if (res.code !== 2 || foreign.length)
    throw new Error(`reading sysctls in ${netns} failed: ${res.stderr.trim() || `exit ${res.code}`}`);
}

/**
 * Reads sysctls in a namespace: directly for the real host, one `ip netns exec … grep` otherwise
 * (`nsenter --net=PATH` for an absolute path).
 * Keys come back spelt as asked; a key the kernel lacks (or cannot read) is absent.
 */
export async function readSysctls(netns: string | null, keys: readonly string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  if (keys.length === 0) return out;
  const pathOf = new Map(keys.map((k) => [k, sysctlPath(k)]));
  const paths = [...new Set(pathOf.values())];
  const values = new Map<string, string>(); // path → value
  if (netns === null) {
    for (const p of paths) {
      const v = await readFile(p, 'utf8').catch(() => undefined);
      if (v !== undefined) values.set(p, v.trim());
    }
  } else {
    // a runtime's namespace not named yet is entered by its path (`netns: {path}`)
    const [cmd, enter] = netns.startsWith('/') ? ['nsenter', [`--net=${netns}`]] : ['ip', ['netns', 'exec', netns]];
    const res = await run(cmd, [...enter, 'grep', '-H', '-e', '', ...paths]);
    grepFailed(netns, res);
    for (const [p, v] of parseGrepH(res.stdout)) values.set(p, v);
  }
  // every spelling asked for gets its value (`net.ipv4.ip_forward` and `net/ipv4/ip_forward`)
  for (const [k, p] of pathOf) {
    const v = values.get(p);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/**
 * Every `net.ipv{4,6}.conf.<if>.<leaf>` in a namespace, `all` and `default` included, keyed in
 * dotted form (`net.ipv4.conf.eth0.100.forwarding`). One process at most.
 */
export async function readSysctlFamily(
  netns: string | null,
  family: 4 | 6,
  leaf: string,
): Promise<Record<string, string>> {
  checkSysctlFamily(family, leaf);
  const dir = `${PROC_SYS}net/ipv${family}/conf`;
  const found = new Map<string, string>();
  if (netns === null) {
    const ifaces = await readdir(dir).catch(() => [] as string[]);
    for (const i of ifaces) {
      const p = `${dir}/${i}/${leaf}`;
      const v = await readFile(p, 'utf8').catch(() => undefined);
      if (v !== undefined) found.set(p, v.trim());
    }
  } else {
    const res = await run('ip', ['netns', 'exec', netns, 'grep', '-rH', `--include=${leaf}`, '-e', '', dir]);
    grepFailed(netns, res);
    for (const [p, v] of parseGrepH(res.stdout)) {
      // only direct children: <dir>/<if>/<leaf>
      const rest = p.slice(dir.length + 1).split('/');
      if (rest.length === 2 && rest[1] === leaf) found.set(p, v);
    }
  }
  const out: Record<string, string> = {};
  for (const p of [...found.keys()].sort()) out[keyOfPath(p)] = found.get(p)!;
  return out;
}

export interface SysctlFailure {
  readonly key: string;
  /** `net.ipv4.ip_forward=abc: Invalid argument`. */
  readonly message: string;
}

/**
 * Writes every item, in order, and returns every failure (empty = all written). The real host
 * (netns null) is written in-process; a named namespace by `ip netns exec NS tee PATH`, one per
 * key, the value on stdin. An unsafe key or value is reported, and nothing runs for it.
 */
export async function writeSysctls(
  netns: string | null,
  items: readonly { key: string; value: string }[],
): Promise<SysctlFailure[]> {
  const failures: SysctlFailure[] = [];
  for (const { key, value } of items) {
    const fail = (why: string): void => void failures.push({ key, message: `${key}=${value}: ${why}` });
    let path: string;
    try {
      checkSysctl(key, value);
      path = sysctlPath(key);
    } catch (e) {
      fail((e as Error).message);
      continue;
    }
    if (netns === null) {
      try {
        const fh = await open(path, 'r+'); // never creates a file
        try {
          await fh.write(`${value}\n`);
        } finally {
          await fh.close();
        }
      } catch (e) {
        fail(errnoText(e));
      }
      continue;
    }
    const res = await run('ip', ['netns', 'exec', netns, 'tee', path], `${value}\n`).catch((e: Error) => ({
      code: 1,
      stdout: '',
      stderr: e.message,
    }));
    if (res.code === 0) continue;
    const err = res.stderr.trim();
    const prefix = `tee: ${path}: `;
    const line = err.split('\n').find((l) => l.startsWith(prefix));
    fail(line ? line.slice(prefix.length) : err || `ip netns exec ${netns} tee ${path} exited with ${res.code}`);
  }
  return failures;
}
