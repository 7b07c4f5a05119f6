import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EMPTY_BEFORE, type RevertCase } from './cases.js';

/** `@host` is the namespace playing the host, `@` the prefix of every namespace of the case. */
export const named = (text: string, prefix: string): string =>
  text.replaceAll('@host', `${prefix}host`).replaceAll('@', prefix);

export function sh(cmd: string): void {
  execFileSync('sh', ['-ec', cmd], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The host the cases run on (made unless a sandbox made it): two uplinks (veths whose other ends stay in the host). */
export function hostWithUplinks(host: string): void {
  sh(`[ -e /run/netns/${host} ] || ip netns add ${host}; ip -n ${host} link set lo up`);
  sh(`ip -n ${host} link add enp0s5 up type veth peer name p-enp0s5; ip -n ${host} link set p-enp0s5 up`);
  sh(`ip -n ${host} link add enp1s0 up type veth peer name p-enp1s0; ip -n ${host} link set p-enp1s0 up`);
  sh(`ip -n ${host} addr add 192.168.200.1/24 dev enp0s5`);
}

export function writeManifests(dir: string, files: Record<string, string>, prefix: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), named(text, prefix));
}

/**
 * A case up to its checkpoint: the host made, `setup` run, the before-manifests (written to
 * `<dir>/manifests-before`) applied, the change written to `<dir>/manifests`. Returns the
 * arguments of the run that is to fail.
 */
export function upToCheckpoint(
  c: RevertCase,
  dir: string,
  prefix: string,
  apply: (dir: string) => void,
): readonly string[] {
  hostWithUplinks(`${prefix}host`);
  for (const s of c.setup ?? []) sh(named(s, prefix));
  writeManifests(join(dir, 'manifests-before'), c.before ?? EMPTY_BEFORE, prefix);
  apply(join(dir, 'manifests-before'));
  const manifests = join(dir, 'manifests');
  writeManifests(manifests, c.manifests, prefix);
  return c.run ? c.run.map((a) => (a === '%' ? manifests : a)) : ['apply', manifests];
}
