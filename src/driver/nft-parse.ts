import type { NftChain, NftField, NftRule, NftSet, NftStmt, NftValue, ObservedNftTable } from '../model/nft.js';
import { append } from '../model/multimap.js';

/**
 * `nft -j list table` → the structured form of model/nft.ts, so a table compares with what the
 * manifests want. Counter values and handles are dropped (they change by themselves); anything
 * ctnet does not write becomes `unknown` and so differs from the desired table.
 */

/** The objects of nft's JSON (libnftables-json(5)) as read here; expressions are checked field by field. */
interface JTable {
  family: string;
  name: string;
}
interface JSet {
  name: string;
  type: string | string[];
  elem?: unknown[];
  [key: string]: unknown;
}
interface JChain {
  name: string;
  type?: string;
  hook?: string;
  prio?: number;
  policy?: string;
}
interface JMatch {
  left?: unknown;
  right?: unknown;
  op?: unknown;
}
interface JStmt {
  match?: JMatch;
  masquerade?: unknown;
  [key: string]: unknown;
}
interface JItem {
  table?: JTable;
  set?: JSet;
  chain?: JChain;
  rule?: { chain: string; expr?: (JStmt | null)[] };
}
type JList = { nftables?: JItem[] };

type Obj = Partial<Record<string, unknown>>;
/** `x` when it is an object, else undefined: an expression may be a string, a number or an object. */
const obj = (x: unknown): Obj | undefined => (typeof x === 'object' && x !== null ? x : undefined);

function field(left: unknown): NftField | undefined {
  const key = obj(obj(left)?.meta)?.key;
  if (key === 'iifname' || key === 'oifname') return key;
  const p = obj(obj(left)?.payload);
  if ((p?.protocol === 'ip' || p?.protocol === 'ip6') && (p.field === 'saddr' || p.field === 'daddr'))
    return `${p.protocol} ${p.field}`;
  return undefined;
}

/** `fields`: what is matched; a plain string compared with an interface name is a name, not an address. */
function value(right: unknown, fields: readonly (NftField | undefined)[]): NftValue | undefined {
  if (typeof right === 'string' && right.startsWith('@')) return { set: right.slice(1) };
  if (typeof right === 'string')
    return fields.length === 1 && /ifname$/.test(fields[0] ?? '') ? { ifname: right } : { addr: right };
  const prefix = obj(obj(right)?.prefix);
  if (prefix && typeof prefix.addr === 'string') return { prefix: `${prefix.addr}/${String(prefix.len)}` };
  return undefined;
}

function stmt(s: JStmt | null): NftStmt {
  const unknown = { unknown: JSON.stringify(s) };
  if (s?.match) {
    const m = s.match;
    const concat = obj(m.left)?.concat;
    const fields: (NftField | undefined)[] = Array.isArray(concat) ? concat.map(field) : [field(m.left)];
    const v = value(m.right, fields);
    if (fields.some((f) => !f) || !v || (m.op !== '==' && m.op !== '!=')) return unknown;
    return { match: fields as NftField[], op: m.op, value: v };
  }
  if (s && 'counter' in s && Object.keys(s).length === 1) return { counter: true };
  if (s && 'accept' in s) return { verdict: 'accept' };
  if (s && 'drop' in s) return { verdict: 'drop' };
  // options (`masquerade random`, `to :1024-2048`) come as an object: not what ctnet writes
  if (s && 'masquerade' in s && s.masquerade === null && Object.keys(s).length === 1) return { masquerade: true };
  return unknown;
}

const part = (p: unknown): string => (typeof p === 'string' ? p : JSON.stringify(p));

function set(s: JSet): NftSet {
  const type: string[] = Array.isArray(s.type) ? s.type : [s.type];
  const elements = (s.elem ?? []).map((e) => {
    const concat = obj(e)?.concat;
    return Array.isArray(concat) ? concat.map(part) : [part(e)];
  });
  const extra = Object.keys(s).filter((k) => !['family', 'name', 'table', 'type', 'handle', 'elem'].includes(k));
  // flags, timeouts or a policy someone added make it another set than ctnet's
  return { name: s.name, type: extra.length ? [...type, `# ${extra.sort().join(',')}`] : type, elements };
}

/** Values ctnet does not write (another hook, policy) are kept as read: the chain then differs from the desired one. */
function chain(c: JChain, rules: readonly NftRule[]): NftChain {
  const base = c.hook
    ? ({ type: c.type, hook: c.hook, prio: c.prio, policy: c.policy } as NftChain['base'])
    : undefined;
  return { name: c.name, ...(base ? { base } : {}), rules };
}

/** One table's listing (`{"nftables": [...]}`); undefined when it holds no table. */
export function parseNftTable(text: string): ObservedNftTable | undefined {
  const items = (JSON.parse(text) as JList).nftables ?? [];
  const table = items.find((i) => i.table)?.table;
  if (!table) return undefined;
  const rules = new Map<string, NftRule[]>();
  for (const i of items) if (i.rule) append(rules, i.rule.chain, (i.rule.expr ?? []).map(stmt));
  const extras = items
    .filter((i) => !['metainfo', 'table', 'set', 'chain', 'rule'].some((k) => k in i))
    .map((i) => JSON.stringify(i));
  return {
    family: table.family,
    name: table.name,
    sets: items.flatMap((i) => (i.set ? [set(i.set)] : [])),
    chains: items.flatMap((i) => (i.chain ? [chain(i.chain, rules.get(i.chain.name) ?? [])] : [])),
    ...(extras.length ? { extras } : {}),
  };
}

/** `nft -j list tables` → `[family, name]` of each table. */
export function parseNftTables(text: string): [string, string][] {
  if (!text.trim()) return [];
  return ((JSON.parse(text) as JList).nftables ?? []).flatMap((i): [string, string][] =>
    i.table ? [[i.table.family, i.table.name]] : [],
  );
}
