import type { NftChain, NftField, NftRule, NftSet, NftStmt, NftTableObj, NftValue } from '../model/nft.js';
import { append } from '../model/multimap.js';

/**
 * `nft -j list table` → the structured form of model/nft.ts, so a table compares with what the
 * manifests want. Counter values and handles are dropped (they change by themselves); anything
 * ctnet does not write becomes `unknown` and so differs from the desired table.
 */
type J = any; // nft's JSON, checked field by field below

function field(left: J): NftField | undefined {
  if (left?.meta?.key === 'iifname' || left?.meta?.key === 'oifname') return left.meta.key;
  const p = left?.payload;
  if ((p?.protocol === 'ip' || p?.protocol === 'ip6') && (p.field === 'saddr' || p.field === 'daddr'))
    return `${p.protocol} ${p.field}` as NftField;
  return undefined;
}

/** `fields`: what is matched; a plain string compared with an interface name is a name, not an address. */
function value(right: J, fields: readonly (NftField | undefined)[]): NftValue | undefined {
  if (typeof right === 'string' && right.startsWith('@')) return { set: right.slice(1) };
  if (typeof right === 'string')
    return fields.length === 1 && /ifname$/.test(fields[0] ?? '') ? { ifname: right } : { addr: right };
  if (right?.prefix && typeof right.prefix.addr === 'string')
    return { prefix: `${right.prefix.addr}/${right.prefix.len}` };
  return undefined;
}

function stmt(s: J): NftStmt {
  const unknown = { unknown: JSON.stringify(s) };
  if (s?.match) {
    const m = s.match;
    const fields: (NftField | undefined)[] = Array.isArray(m.left?.concat) ? m.left.concat.map(field) : [field(m.left)];
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

const part = (p: J): string => (typeof p === 'string' ? p : JSON.stringify(p));

function set(s: J): NftSet {
  const type: string[] = Array.isArray(s.type) ? s.type : [s.type];
  const elements = (s.elem ?? []).map((e: J) => (Array.isArray(e?.concat) ? e.concat.map(part) : [part(e)]));
  const extra = Object.keys(s).filter((k) => !['family', 'name', 'table', 'type', 'handle', 'elem'].includes(k));
  // flags, timeouts or a policy someone added make it another set than ctnet's
  return { name: s.name, type: extra.length ? [...type, `# ${extra.sort().join(',')}`] : type, elements };
}

function chain(c: J, rules: readonly NftRule[]): NftChain {
  const base = c.hook ? { type: c.type, hook: c.hook, prio: c.prio, policy: c.policy } : undefined;
  return { name: c.name, ...(base ? { base } : {}), rules };
}

/** One table's listing (`{"nftables": [...]}`); undefined when it holds no table. */
export function parseNftTable(text: string): NftTableObj | undefined {
  const items: J[] = JSON.parse(text).nftables ?? [];
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
    sets: items.filter((i) => i.set).map((i) => set(i.set)),
    chains: items.filter((i) => i.chain).map((i) => chain(i.chain, rules.get(i.chain.name) ?? [])),
    ...(extras.length ? { extras } : {}),
  };
}

/** `nft -j list tables` → `[family, name]` of each table. */
export function parseNftTables(text: string): [string, string][] {
  if (!text.trim()) return [];
  return (JSON.parse(text).nftables ?? []).flatMap((i: J) => (i.table ? [[i.table.family, i.table.name]] : []));
}
