import { setAddresses } from '../engine/set.js';
import type { AddressEdit } from '../engine/address-edit.js';
import { confirmSecondsOf, finish } from './cmd-reconcile.js';
import { armed } from './confirm-view.js';
import { say, type GlobalOpts } from './output.js';
import type { CtnetError } from '../model/errors.js';
import { ipProblem } from '../manifest/rules/ip-text.js';

export interface SetCliOpts {
  readonly ipadd?: readonly string[];
  readonly ipdel?: readonly string[];
  readonly iface?: string;
  readonly save?: boolean;
  readonly reset?: boolean;
  readonly atomic?: boolean;
  readonly confirm?: string;
}

/** Each value of `--ipadd`/`--ipdel` that is not an address, located by the option that carried it. */
const badAddresses = (option: string, values: readonly string[]): CtnetError[] =>
  values.flatMap((v) => {
    const problem = ipProblem(v, 'address');
    return problem ? [{ code: 'invalid' as const, path: option, message: problem }] : [];
  });

/** `ctnet set CT ...`: flags to an edit, one engine call, then the same printing as `apply`. */
export async function cmdSet(
  g: GlobalOpts,
  container: string,
  paths: readonly string[],
  o: SetCliOpts,
): Promise<number> {
  const ipadd = o.ipadd ?? [];
  const rawDel = o.ipdel ?? [];
  const all = rawDel.includes('all');
  const errors: CtnetError[] = [
    ...badAddresses('--ipadd', ipadd),
    ...badAddresses(
      '--ipdel',
      rawDel.filter((a) => a !== 'all'),
    ),
  ];
  const bad = (message: string): void => void errors.push({ code: 'invalid', message });
  if (all && rawDel.length > 1) bad('--ipdel all stands alone: it removes every address');
  if (o.reset && (ipadd.length || rawDel.length || o.save)) {
    bad('--reset drops the runtime override: it takes no --ipadd, --ipdel or --save');
  }
  if (!o.reset && !ipadd.length && !rawDel.length) bad('nothing to set: give --ipadd, --ipdel or --reset');
  const confirmSeconds = confirmSecondsOf(o.confirm);
  if (typeof confirmSeconds === 'object') errors.push(confirmSeconds);
  // every mistake at once, before the lock and any change; --json still prints its one document
  if (errors.length) {
    const rejected = { outcome: 'rejected' as const, errors, notices: [], commands: 0, hostNetns: g.hostNetns };
    return finish(g, 'apply', g.json ? 'json' : 'text', rejected);
  }
  const edit: AddressEdit = { container, iface: o.iface, ipadd, ipdel: all ? 'all' : rawDel, reset: o.reset };
  const r = await setAddresses({
    stateDir: g.stateDir,
    hostNetns: g.hostNetns,
    node: g.node,
    waitSeconds: g.waitSeconds,
    edit,
    save: o.save,
    atomic: o.atomic,
    confirmSeconds: typeof confirmSeconds === 'number' ? confirmSeconds : undefined,
    paths,
  });
  const code = finish(g, 'apply', g.json ? 'json' : 'text', await armed(g, r));
  if (code === 0 && !g.json) {
    say(
      g,
      r.saved
        ? `Saved ${r.saved}.\n`
        : o.reset
          ? `Runtime override of ${container} dropped.\n`
          : `Runtime override of ${container} recorded (not saved to the manifests; --save to keep it).\n`,
    );
  }
  return code;
}
