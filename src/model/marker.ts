/**
 * Kernel markers. Links carry `ifalias ctnet:<owner>@<instance>`: the owner (`container/ct101`)
 * and the instance (a digest of the state dir) that made them, so two ctnet instances on one
 * host never claim each other's links. Version 1 marks (`ctnet:<owner>`) name no instance.
 */
export const MARK_PREFIX = 'ctnet:';

export interface Marker {
  readonly owner: string;
  readonly instance?: string;
}

export const markerFor = (owner: string, instance: string): string => `${MARK_PREFIX}${owner}@${instance}`;

export function parseMarker(alias: string | undefined): Marker | undefined {
  if (!alias?.startsWith(MARK_PREFIX)) return undefined;
  const body = alias.slice(MARK_PREFIX.length);
  const at = body.lastIndexOf('@');
  return at < 0 ? { owner: body } : { owner: body.slice(0, at), instance: body.slice(at + 1) };
}

/** The owner a link's marker names, when the marker is this instance's (or, with `legacy`, a v1 mark). */
export function markedOwner(alias: string | undefined, instance: string, legacy = false): string | undefined {
  const m = parseMarker(alias);
  if (!m) return undefined;
  if (m.instance === instance || (legacy && m.instance === undefined)) return m.owner;
  return undefined;
}

/**
 * Why an object in the way is not this instance's, as messages say it: another instance's marker
 * is named (two instances on one host are a set-up to fix, not a stranger's object); else `none`.
 */
export function foreignOwnerWords(alias: string | undefined, instance: string, none: string): string {
  const m = parseMarker(alias);
  if (m?.instance === undefined || m.instance === instance) return none;
  return `is owned by another ctnet instance (${m.instance}, marker "${alias}"), not by this one (${instance})`;
}

/** Whether a link's marker names another instance of ctnet (not this one, and not a v1 mark). */
export function otherInstance(alias: string | undefined, instance: string): boolean {
  const m = parseMarker(alias);
  return m?.instance !== undefined && m.instance !== instance;
}

/**
 * What a refusal of a foreign object ends with. Another instance's object is never adopted: its
 * owner would lose it under its feet, and two watchers would take it back and forth.
 */
export const adoptHint = (adoptable: boolean): string =>
  adoptable ? ' (use --adopt to take it over)' : ": another instance's objects are never taken over";
