import { closeSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { checkSysctl, checkSysctlFamily, errnoText, keyOfPath, sysctlPath, type SysctlFailure } from '../sysctl.js';
import { checkSysctlDirs } from '../sysctl-tree.js';
import { SysError, strerror } from './libc.js';
import { inNetns } from './netns.js';

/**
 * Sysctls of a namespace read and written in-process: /proc/sys/net resolves against the network
 * namespace of the thread that opens the file, so every open runs inside `inNetns`, synchronously
 * (no other JavaScript may run while the main thread is in another namespace). No `ip netns exec`
 * process at all. The results are those of sysctl.ts and sysctl-tree.ts for the same namespace:
 * same key spellings, same validation, same failure wording.
 */

const PROC_SYS = '/proc/sys/';

/** `fn` in `netns` (the calling thread's own namespace for null). */
const within = <T>(netns: string | null, fn: () => T): T => (netns === null ? fn() : inNetns(netns, fn));

const readValue = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined; // absent, or not readable (write-only, EIO for an unset stable_secret)
  }
};

/**
 * Sysctls of a namespace, lenient: an invalid key or one the kernel lacks is simply absent (the
 * watch probe's view). A namespace that cannot be entered throws.
 */
export function readSysctlsInProcess(netns: string | null, keys: readonly string[]): Record<string, string> {
  return within(netns, () => {
    const out: Record<string, string> = {};
    for (const k of keys) {
      let path: string;
      try {
        path = sysctlPath(k);
      } catch {
        continue;
      }
      const v = readValue(path);
      if (v !== undefined) out[k] = v;
    }
    return out;
  });
}

/** `readSysctls` in-process: an invalid key throws; keys come back spelt as asked; a key the kernel lacks is absent. */
export function readSysctlsIn(netns: string | null, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (keys.length === 0) return out;
  const pathOf = new Map(keys.map((k) => [k, sysctlPath(k)]));
  const values = within(netns, () => {
    const found = new Map<string, string>();
    for (const p of new Set(pathOf.values())) {
      const v = readValue(p);
      if (v !== undefined) found.set(p, v);
    }
    return found;
  });
  for (const [k, p] of pathOf) {
    const v = values.get(p);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** `readSysctlFamily` in-process: every `net.ipv{4,6}.conf.<if>.<leaf>`, `all` and `default` included. */
export function readSysctlFamilyIn(netns: string | null, family: 4 | 6, leaf: string): Record<string, string> {
  checkSysctlFamily(family, leaf);
  const dir = `${PROC_SYS}net/ipv${family}/conf`;
  const found = within(netns, () => {
    const m = new Map<string, string>();
    let ifaces: string[];
    try {
      ifaces = readdirSync(dir);
    } catch {
      return m;
    }
    for (const i of ifaces) {
      const p = `${dir}/${i}/${leaf}`;
      const v = readValue(p);
      if (v !== undefined) m.set(p, v);
    }
    return m;
  });
  const out: Record<string, string> = {};
  for (const p of [...found.keys()].sort()) out[keyOfPath(p)] = found.get(p)!;
  return out;
}

/**
 * `readSysctlTree` in-process: every readable value under some `/proc/sys` directories, optionally only files named
 * `leaves`.
 */
export function readSysctlTreeIn(
  netns: string | null,
  dirs: readonly string[],
  leaves?: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  if (dirs.length === 0) return out;
  checkSysctlDirs(dirs);
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (!leaves || leaves.includes(e.name)) {
        const v = readValue(p);
        if (v !== undefined) out[keyOfPath(p)] = v;
      }
    }
  };
  within(netns, () => {
    for (const d of dirs) walk(join(PROC_SYS, d));
  });
  return out;
}

/**
 * `writeSysctls` in-process: every item written, in order, inside one visit to the namespace;
 * each failure as `key=value: <strerror>`. An unsafe key or value is reported and not written.
 */
export function writeSysctlsIn(
  netns: string | null,
  items: readonly { key: string; value: string }[],
): SysctlFailure[] {
  const failures: SysctlFailure[] = [];
  const fail = (key: string, value: string, why: string): void =>
    void failures.push({ key, message: `${key}=${value}: ${why}` });
  const paths = items.map(({ key, value }) => {
    try {
      checkSysctl(key, value);
      return sysctlPath(key);
    } catch (e) {
      return e as Error;
    }
  });
  const write = (): void => {
    for (const [i, { key, value }] of items.entries()) {
      const path = paths[i];
      if (path instanceof Error) {
        fail(key, value, path.message);
        continue;
      }
      try {
        const fd = openSync(path, 'r+'); // never creates a file
        try {
          writeSync(fd, `${value}\n`);
        } finally {
          closeSync(fd);
        }
      } catch (e) {
        fail(key, value, errnoText(e));
      }
    }
  };
  try {
    within(netns, write);
  } catch (e) {
    // the namespace cannot be entered: what `ip netns exec` says, for every item
    const why = e instanceof SysError ? strerror(e.errno) : (e as Error).message;
    failures.length = 0;
    for (const { key, value } of items) fail(key, value, `Cannot open network namespace "${netns}": ${why}`);
  }
  return failures;
}
