import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fail, ok, type CtnetError, type Result } from '../model/errors.js';
import { unreadable } from '../manifest/load.js';
import { uniqueName, type ImportDoc, type ImportResult } from './doc.js';
import { parseVzConf } from './vz-conf.js';
import { readContainer, type VzContainer } from './vz-container.js';
import { containerDoc } from './vz-containers.js';
import {
  bridgeNetworks,
  isolatedNetwork,
  venetNetwork,
  VENET_NETWORK,
  type BridgeUse,
  type NamedContainer,
} from './vz-networks.js';

const invalid = (message: string): CtnetError => ({ code: 'invalid', message });
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** CTIDs in number order, then the others (Virtuozzo 7's UUIDs) by name. */
const byCtid = (a: string, b: string): number => {
  const [x, y] = [basename(a, '.conf'), basename(b, '.conf')];
  const [nx, ny] = [/^\d+$/.test(x), /^\d+$/.test(y)];
  if (nx && ny) return Number(x) - Number(y);
  return nx !== ny ? (nx ? -1 : 1) : x < y ? -1 : x > y ? 1 : 0;
};

/** The config files a path names: the file itself, or a directory's `<CTID>.conf` (0.conf is the host's own). */
function configFiles(path: string): Result<string[]> {
  let dir: boolean;
  try {
    dir = statSync(path).isDirectory();
  } catch (e) {
    return fail([unreadable(path, e)]);
  }
  if (!dir) return ok([path]);
  const names = readdirSync(path).filter((n) => n.endsWith('.conf') && !n.startsWith('.') && n !== '0.conf');
  if (!names.length) return fail([invalid(`"${path}" holds no container configs (<CTID>.conf)`)]);
  return ok(names.map((n) => join(path, n)).sort(byCtid));
}

/** Names unique across files: a NAME two configs share goes to the first, the second gets a suffix. */
function named(cts: readonly VzContainer[], warn: (m: string) => void): NamedContainer[] {
  const taken = new Set<string>();
  return cts.map((c) => {
    const name = uniqueName(c.preferred, taken);
    if (name !== c.preferred) warn(`${c.file}: the name ${c.preferred} is taken by another config: named ${name}`);
    return { ...c, name };
  });
}

/** The networks every container's interfaces need, and each veth's network by container and ifname. */
function networks(cts: readonly NamedContainer[]): { docs: ImportDoc[]; networkOf: Map<string, string> } {
  const taken = new Set([VENET_NETWORK]);
  const uses: BridgeUse[] = cts.flatMap((c) =>
    c.veths.map((v) => ({ bridge: v.bridge, container: c, ifname: v.ifname })),
  );
  const bridges = bridgeNetworks(uses, taken);
  const isolated = uses.filter((u) => !u.bridge).map((u) => ({ u, doc: isolatedNetwork(u, taken) }));
  const networkOf = new Map<string, string>();
  for (const u of uses) if (u.bridge) networkOf.set(`${u.container.name}/${u.ifname}`, bridges.get(u.bridge)!.name);
  for (const { u, doc } of isolated) networkOf.set(`${u.container.name}/${u.ifname}`, doc.name);
  const venet = venetNetwork(cts);
  return { docs: [...(venet ? [venet] : []), ...bridges.values(), ...isolated.map((i) => i.doc)], networkOf };
}

/**
 * `ctnet import openvz FILE|DIR`: vzctl container configs as manifests. Malformed lines and
 * entries are skipped with a warning naming the file and line; what was assumed is said in the
 * documents' comments.
 */
export function importOpenvz(path: string): Result<ImportResult> {
  const files = configFiles(path);
  if (!files.ok) return files;
  const warnings: string[] = [];
  const cts: VzContainer[] = [];
  for (const file of files.value) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      return fail([unreadable(file, e)]);
    }
    // parsing warns first and reading NETIF later: each file's warnings are printed in line order
    const mine: { line: number; m: string }[] = [];
    const warn = (line: number, m: string): void => void mine.push({ line, m });
    cts.push(readContainer(parseVzConf(text, file, warn), warn));
    for (const w of mine.sort((a, b) => a.line - b.line)) warnings.push(`${file}:${w.line}: ${w.m}`);
  }
  const all = named(cts, (m) => warnings.push(m));
  const nets = networks(all);
  const containers = all.map((c) => containerDoc(c, (ifname) => nets.networkOf.get(`${c.name}/${ifname}`)!));
  const header = [
    `ctnet import openvz ${path}: ${plural(all.length, 'container')}, ${plural(nets.docs.length, 'network')}.`,
    'Read the comments (what was assumed), then: ctnet validate FILE && ctnet plan FILE',
  ];
  return ok({ docs: [...nets.docs, ...containers], warnings, header });
}
