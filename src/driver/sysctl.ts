import { readFile, writeFile } from 'node:fs/promises';
import { run } from './spawn.js';

/** `net.ipv4.ip_forward` → `/proc/sys/net/ipv4/ip_forward`. */
export const sysctlPath = (key: string): string => `/proc/sys/${key.replace(/\./g, '/')}`;

const SAFE_KEY = /^[A-Za-z0-9_][A-Za-z0-9_.\-/]*$/;
const SAFE_VALUE = /^[A-Za-z0-9_.:\- \t]*$/;

export function checkSysctl(key: string, value?: string): void {
  if (!SAFE_KEY.test(key) || key.includes('..')) throw new Error(`invalid sysctl key "${key}"`);
  if (value !== undefined && !SAFE_VALUE.test(value)) throw new Error(`invalid sysctl value "${value}" for ${key}`);
}

/** Reads sysctls in a namespace: directly for the real host, one `ip netns exec` otherwise. */
export async function readSysctls(netns: string | null, keys: readonly string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  if (keys.length === 0) return out;
  keys.forEach((k) => checkSysctl(k));
  if (netns === null) {
    for (const k of keys) {
      const v = await readFile(sysctlPath(k), 'utf8').catch(() => undefined);
      if (v !== undefined) out[k] = v.trim();
    }
    return out;
  }
  const res = await run('ip', ['netns', 'exec', netns, 'grep', '-H', '', ...keys.map(sysctlPath)]);
  for (const line of res.stdout.split('\n')) {
    const i = line.indexOf(':');
    if (i < 0) continue;
    const key = line.slice('/proc/sys/'.length, i).replace(/\//g, '.');
    out[key] = line.slice(i + 1).trim();
  }
  return out;
}

/** The shell text that writes sysctls; the same text the script view prints. */
export const sysctlShell = (items: readonly { key: string; value: string }[]): string =>
  items.map(({ key, value }) => `echo '${value}' > ${sysctlPath(key)}`).join('; ');

export async function writeSysctls(netns: string | null, items: readonly { key: string; value: string }[]): Promise<string | undefined> {
  items.forEach(({ key, value }) => checkSysctl(key, value));
  if (netns === null) {
    for (const { key, value } of items) {
      try {
        await writeFile(sysctlPath(key), value);
      } catch (e) {
        return `sysctl ${key}=${value}: ${(e as Error).message}`;
      }
    }
    return undefined;
  }
  const res = await run('ip', ['netns', 'exec', netns, 'sh', '-ec', sysctlShell(items)]);
  return res.code === 0 ? undefined : res.stderr.trim() || `writing sysctls in ${netns} failed`;
}
