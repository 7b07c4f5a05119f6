import type { NftChain, NftRule, NftSet, NftStmt, NftTableObj, NftValue } from './nft.js';

/**
 * nft's own syntax for the structured tables of nft.ts: the body `nft -f` reads, and the words
 * plans show. Deterministic: the same table gives the same text.
 */
const value = (v: NftValue): string =>
  'set' in v ? `@${v.set}` : 'prefix' in v ? v.prefix : 'ifname' in v ? `"${v.ifname}"` : v.addr;

export function stmtText(s: NftStmt): string {
  if ('match' in s) return `${s.match.join(' . ')} ${s.op === '!=' ? '!= ' : ''}${value(s.value)}`;
  if ('counter' in s) return 'counter';
  if ('verdict' in s) return s.verdict;
  if ('masquerade' in s) return 'masquerade';
  return `# unknown: ${s.unknown}`;
}

export const ruleText = (r: NftRule): string => r.map(stmtText).join(' ');

/** An element's part: interface names are strings to nft, addresses are not. */
const part = (p: string, type: string): string => (type === 'ifname' ? `"${p}"` : p);

function setLines(s: NftSet): string[] {
  const lines = [`\tset ${s.name} {`, `\t\ttype ${s.type.join(' . ')}`];
  if (s.elements.length) {
    const els = s.elements.map((e) => e.map((p, i) => part(p, s.type[i])).join(' . '));
    lines.push(`\t\telements = { ${els.join(',\n\t\t\t     ')} }`);
  }
  return [...lines, '\t}'];
}

function chainLines(c: NftChain): string[] {
  const head = c.base
    ? [`\t\ttype ${c.base.type} hook ${c.base.hook} priority ${c.base.prio}; policy ${c.base.policy};`]
    : [];
  return [`\tchain ${c.name} {`, ...head, ...c.rules.map((r) => `\t\t${ruleText(r)}`), '\t}'];
}

/** `table inet NAME { ... }` under the kernel's name. */
export function tableText(t: NftTableObj, kernelName: string): string {
  return [`table ${t.family} ${kernelName} {`, ...t.sets.flatMap(setLines), ...t.chains.flatMap(chainLines), '}'].join(
    '\n',
  );
}
