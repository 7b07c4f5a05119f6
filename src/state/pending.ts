import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CtnetFailure } from '../model/errors.js';
import type { Inventory } from '../model/inventory.js';
import type { ObservedState } from '../model/kernel.js';
import { causeOf, writeFileAtomically } from './atomic-write.js';

/**
 * A change waiting for `ctnet confirm` (`apply --confirm SECONDS`), kept in the state dir so that
 * it outlives the process that applied it, and a reboot: the checkpoint to go back to, and when.
 */
export interface Pending {
  readonly version: 1;
  /** Names this confirmation: a reverter acts only on its own. */
  readonly id: string;
  readonly appliedAt: string;
  readonly deadline: string;
  readonly hostNetns: string | null;
  /** The kernel and the inventory before the change. */
  readonly checkpoint: { readonly observed: ObservedState; readonly inventory: Inventory };
  /** The inventory the change left (names everything it made), in case the state file is lost. */
  readonly after: Inventory;
  /** Interfaces the manifests protected: the revert never touches them either. */
  readonly protectedInterfaces: readonly string[];
  /** Manifest files the change edited (`set --save --confirm`), with their text before. */
  readonly files?: readonly { readonly path: string; readonly text: string }[];
}

/** How the last confirmation ended: confirmed, or reverted (when, why, and what was left, if anything). */
export interface Ended {
  readonly id: string;
  readonly at: string;
  readonly deadline: string;
  readonly why: 'confirmed' | 'deadline' | 'asked' | 'expired';
  readonly changes: number;
  readonly left: readonly string[];
}

/** A confirmation's reverter runs as `ctnet … __reverter <id>`: found by its command line, in any session. */
export const REVERTER_VERB = '__reverter';

const PENDING = 'confirm.json';
const ENDED = 'last-confirmation.json';

function readJson<T>(file: string): T | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (e) {
    throw new CtnetFailure([{ code: 'state', message: `cannot read ${file}: ${causeOf(e)}` }]);
  }
}

function write(file: string, doc: unknown): void {
  try {
    writeFileAtomically(file, JSON.stringify(doc) + '\n');
  } catch (e) {
    throw new CtnetFailure([{ code: 'state', message: `cannot write ${file}: ${causeOf(e)}` }]);
  }
}

export const pendingFile = (dir: string): string => join(dir, PENDING);
export const readPending = (dir: string): Pending | undefined => readJson<Pending>(pendingFile(dir));
export const writePending = (dir: string, p: Pending): void => write(pendingFile(dir), p);
export const removePending = (dir: string): void => rmSync(pendingFile(dir), { force: true });

export const readEnded = (dir: string): Ended | undefined => readJson<Ended>(join(dir, ENDED));
export const writeEnded = (dir: string, r: Ended): void => write(join(dir, ENDED), r);

/** Milliseconds left before the deadline (negative once it passed). */
export const msLeft = (p: Pending, now = Date.now()): number => Date.parse(p.deadline) - now;
