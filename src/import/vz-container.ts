import { basename } from 'node:path';
import { isManifestName, manifestName } from './doc.js';
import { parseIpAddress, type VzAddress } from './vz-addresses.js';
import type { VzConf, Warn } from './vz-conf.js';
import { isIfname, parseNetif, type VzNetif } from './vz-netif.js';

/** vzctl's name for the venet interface inside a container. */
export const VENET_IF = 'venet0';

/** A veth of NETIF, with the bridge it goes on and where that came from. */
export interface VzVeth extends VzNetif {
  /** `netif`: bridge= in the entry; `VZHOSTBR`: the config's default (the OpenVZ wiki's vznetaddbr). */
  readonly bridgeFrom?: 'netif' | 'VZHOSTBR';
}

/** What one container config says about networking, before names are made unique across files. */
export interface VzContainer {
  readonly file: string;
  readonly ctid: string;
  /** The name it would like: NAME when that is a manifest name, else ct<CTID>. */
  readonly preferred: string;
  /** Why NAME was not taken, for the document's comment. */
  readonly nameNote?: string;
  readonly hostname?: string;
  readonly venet: readonly VzAddress[];
  readonly veths: readonly VzVeth[];
  /** NETDEV: host devices moved in under their own names. */
  readonly devices: readonly string[];
}

/** NAME when it is a manifest name as it stands, else ct<CTID> (a CTID that is no number: as a name). */
function nameOf(ctid: string, name: string | undefined): { preferred: string; nameNote?: string } {
  const fromId = /^\d+$/.test(ctid) ? `ct${ctid}` : (manifestName(ctid) ?? 'ct');
  if (name === undefined || name === '') return { preferred: fromId };
  if (isManifestName(name)) return { preferred: name };
  const note = `NAME "${name}" is not a ctnet name (lower-case letters, digits and "-"): named after CTID ${ctid}`;
  return { preferred: fromId, nameNote: note };
}

/** NETDEV: device names separated by spaces (or commas); each moved in as it is named on the host. */
function devicesOf(conf: VzConf, taken: readonly string[], warn: Warn): string[] {
  const v = conf.vars.get('NETDEV');
  if (!v) return [];
  const out: string[] = [];
  for (const dev of v.value.split(/[\s,]+/).filter(Boolean)) {
    if (!isIfname(dev)) warn(v.line, `NETDEV: "${dev}" is not an interface name: skipped`);
    else if ([...taken, ...out].includes(dev)) warn(v.line, `NETDEV: ${dev} is also a veth of NETIF: skipped`);
    else out.push(dev);
  }
  return out;
}

/** The veths of NETIF, each with its bridge: its own bridge=, else the config's VZHOSTBR. */
function vethsOf(conf: VzConf, warn: Warn): VzVeth[] {
  const v = conf.vars.get('NETIF');
  if (!v) return [];
  const fallback = conf.vars.get('VZHOSTBR')?.value || undefined;
  return parseNetif(v, warn).flatMap((n): VzVeth[] => {
    if (n.ifname === VENET_IF) {
      warn(v.line, `NETIF: ${VENET_IF} is the venet interface's name: entry skipped`);
      return [];
    }
    if (n.bridge) return [{ ...n, bridgeFrom: 'netif' }];
    return [fallback && isIfname(fallback) ? { ...n, bridge: fallback, bridgeFrom: 'VZHOSTBR' } : n];
  });
}

/** One config file's networking: venet addresses, veths, passed-through devices, and its names. */
export function readContainer(conf: VzConf, warn: Warn): VzContainer {
  const ctid = basename(conf.file).replace(/\.conf$/, '');
  const ip = conf.vars.get('IP_ADDRESS');
  const veths = vethsOf(conf, warn);
  return {
    file: conf.file,
    ctid,
    ...nameOf(ctid, conf.vars.get('NAME')?.value),
    hostname: conf.vars.get('HOSTNAME')?.value || undefined,
    venet: ip ? parseIpAddress(ip, warn) : [],
    veths,
    devices: devicesOf(
      conf,
      veths.map((x) => x.ifname),
      warn,
    ),
  };
}
