import type { NsRef } from '../../model/kernel.js';
import type { Attr } from './encode.js';

/** One rtnetlink request, before its header is written (NLM_F_REQUEST and NLM_F_ACK are added when sent). */
export interface Request {
  readonly type: number;
  readonly flags: number;
  readonly header: Buffer;
  readonly attrs: readonly Attr[];
}

/**
 * A refusal found before anything reaches the kernel (a device name that resolves to nothing),
 * with the words `ip` prints for it, so both drivers report the same failure.
 */
export class Refusal extends Error {}

/** What building a request needs from where it runs: the batch's namespace and the named ones. */
export interface Lookup {
  /** The ifindex of a device in the batch's namespace; throws a Refusal when there is none. */
  index(name: string, missing: 'dev' | 'master'): number;
  /** An open descriptor of a named namespace (closed by the lookup after the batch); throws a Refusal. */
  netnsFd(name: string): number;
  /** The namespace that plays the host (`--host-netns`), or null for the real one. */
  readonly hostNetns: string | null;
}

/** `ip`'s words when a name given as a device does not resolve. */
export const noDevice = (name: string, missing: 'dev' | 'master'): Refusal =>
  new Refusal(
    missing === 'dev' ? `Cannot find device "${name}"` : `Error: argument "${name}" is wrong: Device does not exist`,
  );

/** The namespace a link goes to: a named one by descriptor, the real host as PID 1's (`netns 1`). */
export function netnsAttr(to: NsRef, l: Lookup, fdType: number, pidType: number): Attr {
  const name = to ?? l.hostNetns;
  const b = Buffer.alloc(4);
  if (name === null) {
    b.writeUInt32LE(1);
    return [pidType, b];
  }
  b.writeUInt32LE(l.netnsFd(name));
  return [fdType, b];
}
