import { familyOf } from '../model/ip-family.js';
import type { NsRef } from '../model/kernel.js';
import type { NftTableObj, NftValue } from '../model/nft.js';
import { tableText } from '../model/nft-text.js';
import type { Op } from '../model/ops.js';

type NftOp = Extract<Op, { op: 'nft-table' | 'nft-delete' }>;

const IFNAME = /^[A-Za-z0-9_.-]{1,15}$/;
const IDENT = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

function checkPart(p: string, type: string): void {
  const ok =
    type === 'ifname'
      ? IFNAME.test(p)
      : type === 'ipv4_addr'
        ? familyOf(p) === 4
        : type === 'ipv6_addr'
          ? familyOf(p) === 6
          : false;
  if (!ok) throw new Error(`refusing to write ${JSON.stringify(p)} as an nftables ${type}`);
}

function checkValue(v: NftValue): void {
  const text = 'set' in v ? v.set : 'prefix' in v ? v.prefix : 'ifname' in v ? v.ifname : v.addr;
  const ok =
    'set' in v
      ? IDENT.test(text)
      : 'prefix' in v
        ? familyOf(text.split('/')[0]) > 0 && /^\/\d{1,3}$/.test(text.slice(text.indexOf('/')))
        : 'ifname' in v
          ? IFNAME.test(text)
          : familyOf(text) > 0;
  if (!ok) throw new Error(`refusing to write ${JSON.stringify(text)} into an nftables rule`);
}

/**
 * Everything that reaches `nft -f` is checked here, even though the manifests were validated:
 * the script is also shown for a shell (`plan -o script`), and nft reads it as a language. An
 * address is one when `familyOf` says so (as `net.isIP`, a zone suffix refused; at 300
 * containers `net.isIP` cost 11 ms of every cold apply here).
 */
function checkTable(t: NftTableObj, name: string): void {
  if (!IDENT.test(name)) throw new Error(`refusing nftables table name ${JSON.stringify(name)}`);
  for (const s of t.sets) {
    if (!IDENT.test(s.name)) throw new Error(`refusing nftables set name ${JSON.stringify(s.name)}`);
    for (const e of s.elements) e.forEach((p, i) => checkPart(p, s.type[i]));
  }
  for (const c of t.chains) {
    if (!IDENT.test(c.name)) throw new Error(`refusing nftables chain name ${JSON.stringify(c.name)}`);
    for (const r of c.rules) for (const st of r) if ('match' in st) checkValue(st.value);
    if (c.rules.some((r) => r.some((st) => 'unknown' in st)))
      throw new Error(`refusing to write an unknown statement into chain ${c.name}`);
  }
}

/**
 * The script `nft -f -` reads for one operation: one transaction. Replacing a table declares it
 * (so the delete works when it does not exist), deletes it and writes it whole: the kernel
 * swaps it atomically, with no moment without rules and no trace of hand edits.
 */
export function nftScript(op: NftOp): string {
  if (op.op === 'nft-delete') {
    if (!IDENT.test(op.name)) throw new Error(`refusing nftables table name ${JSON.stringify(op.name)}`);
    return `table ${op.family} ${op.name} {}\ndelete table ${op.family} ${op.name}\n`;
  }
  checkTable(op.table, op.name);
  const f = op.table.family;
  return `table ${f} ${op.name} {}\ndelete table ${f} ${op.name}\n${tableText(op.table, op.name)}\n`;
}

/** As a person would run it: a here-doc on stdin (quoted: nothing in it is expanded). */
export function nftCommandLine(op: NftOp, ns: NsRef): string {
  const prefix = ns === null ? '' : `ip netns exec ${ns} `;
  return `${prefix}nft -f - <<'EOF'\n${nftScript(op)}EOF`;
}

export const isNftOp = (op: Op): op is NftOp => op.op === 'nft-table' || op.op === 'nft-delete';
