import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The one set of parse options: a chunk parsed alone must read as it does inside its file. */
export const YAML_OPTIONS = { prettyErrors: false, uniqueKeys: true } as const;

/** Bumped when what a cached chunk holds, or how it is made, changes. */
const FORMAT = 1;

const versionOf = (read: () => string): string => {
  try {
    return (JSON.parse(read()) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
};

/**
 * Everything besides the text that decides what a chunk parses to: the cache format, this ctnet
 * (its loader), the yaml library (its parser) and the options. Another version never sees an
 * entry of this one.
 */
const SALT = [
  `ctnet-doc-cache/${FORMAT}`,
  `ctnet/${versionOf(() => readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))}`,
  `yaml/${versionOf(() => readFileSync(createRequire(import.meta.url).resolve('yaml/package.json'), 'utf8'))}`,
  JSON.stringify(YAML_OPTIONS),
].join(' ');

/** The key of a chunk: its text is in it, so any edit misses. */
export const chunkKey = (text: string): string =>
  createHash('sha256').update(SALT).update('\0').update(text).digest('base64url');

/**
 * True when `v` comes back exactly from `JSON.parse(JSON.stringify(v))`: null, booleans, strings,
 * finite numbers other than -0, dense arrays and plain objects of those. NaN, ±Infinity, -0,
 * `undefined`, Buffers (`!!binary`), Sets and Maps (`!!set`, `!!omap`) would come back different:
 * such a chunk is parsed every time instead.
 */
export function isPlainJson(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0);
    case 'object': {
      if (v === null) return true;
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto === Array.prototype) return plainArray(v as readonly unknown[]);
      return proto === Object.prototype && Object.values(v).every(isPlainJson);
    }
    case 'undefined':
    case 'bigint':
    case 'function':
    case 'symbol':
      return false;
  }
}

function plainArray(a: readonly unknown[]): boolean {
  for (let i = 0; i < a.length; i++) if (!(i in a) || !isPlainJson(a[i])) return false;
  return true;
}
