import { setAddresses } from '../engine/set.js';
import type { AddressEdit } from '../engine/address-edit.js';
import { finish } from './cmd-reconcile.js';
import { printErrors, say, type GlobalOpts } from './output.js';

export interface SetCliOpts {
  readonly ipadd?: readonly string[];
  readonly ipdel?: readonly string[];
  readonly iface?: string;
  readonly save?: boolean;
  readonly reset?: boolean;
}

/** `--ipadd a,b --ipadd c`: vzctl's comma lists, the option repeatable. */

/** `ctnet set CT ...`: flags to an edit, one engine call, then the same printing as `apply`. */
export async function cmdSet(g: GlobalOpts, container: string, paths: readonly string[], o: SetCliOpts): Promise<number> {
  const ipadd = o.ipadd ?? [];
  const rawDel = o.ipdel ?? [];
  const all = rawDel.includes('all');
  const bad = (message: string): number => printErrors([{ code: 'invalid', message }]);
  if (all && rawDel.length > 1) return bad('--ipdel all stands alone: it removes every address');
  if (o.reset && (ipadd.length || rawDel.length || o.save)) return bad('--reset drops the runtime override: it takes no --ipadd, --ipdel or --save');
  if (!o.reset && !ipadd.length && !rawDel.length) return bad('nothing to set: give --ipadd, --ipdel or --reset');
  const edit: AddressEdit = { container, iface: o.iface, ipadd, ipdel: all ? 'all' : rawDel, reset: o.reset };
  const r = await setAddresses({ stateDir: g.stateDir, hostNetns: g.hostNetns, waitSeconds: g.waitSeconds, edit, save: o.save, paths });
  const code = finish(g, 'apply', g.json ? 'json' : 'text', r);
  if (code === 0 && !g.json) {
    say(g, r.saved ? `Saved ${r.saved}.\n` : o.reset ? `Runtime override of ${container} dropped.\n` : `Runtime override of ${container} recorded (not saved to the manifests; --save to keep it).\n`);
  }
  return code;
}
