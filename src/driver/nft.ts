import type { ObservedNftTable } from '../model/nft.js';
import type { Op } from '../model/ops.js';
import { parseNftTable, parseNftTables } from './nft-parse.js';
import { isNftOp, nftCommandLine, nftScript } from './nft-render.js';
import { run, type Spawned } from './spawn.js';
import type { BatchOutcome } from './types.js';

/** Only tables with ctnet's prefix are listed: other tools' tables are never read. */
const OURS = /^ctnet_/;

/** A listing (`list tables`, `list table inet NAME`; answered in JSON) or a script run as one transaction. */
export type NftRequest = { readonly list: readonly string[] } | { readonly script: string };
/** How nft requests reach a namespace's kernel: the `nft` command, or libnftables in-process. */
export type NftExec = (netns: string | null, req: NftRequest) => Promise<Spawned>;

/** The `nft` command: directly for the real host, `ip netns exec NAME nft` for a named namespace. */
export const nftCommand: NftExec = (netns, req) => {
  const args = 'list' in req ? ['-j', 'list', ...req.list] : ['-f', '-'];
  const input = 'script' in req ? req.script : undefined;
  return netns === null ? run('nft', args, input) : run('ip', ['netns', 'exec', netns, 'nft', ...args], input);
};

/** ctnet's tables (of any instance) in a namespace, as structured data. */
export async function readNftTables(netns: string | null, exec: NftExec = nftCommand): Promise<ObservedNftTable[]> {
  const list = await exec(netns, { list: ['tables'] }).catch((e: Error) => ({
    code: 127,
    stdout: '',
    stderr: e.message,
  }));
  // no nft at all: nothing of ctnet's can be there; creating a table will say what is missing
  if (list.code === 127 || /ENOENT|No such file/.test(list.stderr)) return [];
  if (list.code !== 0) throw new Error(`listing nftables tables failed: ${list.stderr.trim()}`);
  const out: ObservedNftTable[] = [];
  for (const [family, name] of parseNftTables(list.stdout).filter(([, n]) => OURS.test(n))) {
    const res = await exec(netns, { list: ['table', family, name] });
    // deleted between the two listings: simply gone
    if (res.code !== 0 && /No such file or directory/.test(res.stderr)) continue;
    if (res.code !== 0) throw new Error(`listing nftables table ${family} ${name} failed: ${res.stderr.trim()}`);
    const t = parseNftTable(res.stdout);
    if (t) out.push(t);
  }
  return out;
}

/**
 * Runs nftables operations in order, each one transaction (`nft -f -` with its script on stdin, or
 * the same script in-process; no shell, no argument from the manifests); stops at the first refusal.
 */
export async function runNft(
  netns: string | null,
  ops: readonly Op[],
  exec: NftExec = nftCommand,
): Promise<BatchOutcome> {
  for (const [index, op] of ops.entries()) {
    if (!isNftOp(op)) throw new Error(`${op.op} is not an nftables operation`);
    let message: string | undefined;
    try {
      const res = await exec(netns, { script: nftScript(op) });
      if (res.code !== 0) message = res.stderr.trim() || `nft exited with ${res.code}`;
    } catch (e) {
      message = (e as Error).message;
    }
    if (message !== undefined)
      return { ran: index + 1, failures: [{ index, command: nftCommandLine(op, netns), message }] };
  }
  return { ran: ops.length, failures: [] };
}
