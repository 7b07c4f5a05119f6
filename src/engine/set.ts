import { realpathSync } from 'node:fs';
import { buildDesired } from '../desired/build.js';
import { checkRules } from '../manifest/index.js';
import { editAddressesText, readText, writeFileAtomically } from '../manifest/edit.js';
import { formatError, type CtnetError } from '../model/errors.js';
import { acquireLock } from '../state/lock.js';
import { loadState } from '../state/store.js';
import { editList, targetInterface, withAddresses, type AddressEdit } from './address-edit.js';
import { loadDesired } from './load.js';
import { lockError, reconcile } from './reconcile.js';
import { pendingGate } from './confirm.js';
import { stateFailure } from './state-failure.js';
import type { EngineConfig, Report } from './types.js';

export interface SetRequest extends EngineConfig {
  readonly edit: AddressEdit;
  /** Edit the container's manifest file and apply, instead of a runtime override. */
  readonly save?: boolean;
  /** On any failure, the host and the edited file go back as they were. */
  readonly atomic?: boolean;
  /** `--confirm SECONDS`, as for apply. */
  readonly confirmSeconds?: number;
  /** Manifests; none: those of the last apply. */
  readonly paths: readonly string[];
}

export interface SetReport extends Report {
  /** The manifest file `--save` rewrote. */
  readonly saved?: string;
}

/**
 * `ctnet set`: vzctl's address edits on the same engine as `apply`, under one hold of the lock.
 * Without `--save` the edit is a runtime override the engine keeps in the state; with it, the
 * container's file is edited and applied, but only once the engine accepted the edited manifests
 * (a dry run): a rejected edit (exit 3) changes neither the file nor the kernel.
 */
export async function setAddresses(req: SetRequest): Promise<SetReport> {
  try {
    return await setting(req);
  } catch (e) {
    return stateFailure(e, req.hostNetns);
  }
}

async function setting(req: SetRequest): Promise<SetReport> {
  const lock = await acquireLock(req.stateDir, req.waitSeconds ?? 0);
  const refuse = (errors: readonly CtnetError[]): SetReport => ({
    outcome: 'rejected',
    errors,
    notices: [],
    commands: 0,
    hostNetns: req.hostNetns,
  });
  if (!lock.ok) return refuse([lockError(req.stateDir, lock.holder)]);
  try {
    // a change waiting for confirmation refuses this one before the file is edited
    const gate = await pendingGate(req);
    if (gate.errors.length) return refuse(gate.errors);
    const paths = req.paths.length ? req.paths : (loadState(req.stateDir).inventory.lastApplied?.files ?? []);
    if (!paths.length)
      return refuse([
        { code: 'invalid', message: 'no manifests to edit: name them (ctnet set CT ... PATH) or apply them first' },
      ]);
    const base = { ...req, mode: 'apply' as const, paths, lockHeld: true };
    if (!req.save) return await reconcile(base);
    const l = await loadDesired(paths, { node: req.node });
    if (!l.ok) return refuse(l.errors);
    const set = l.value.set;
    const ct = set.containers.find((c) => c.metadata.name === req.edit.container);
    if (!ct)
      return refuse([
        {
          code: 'invalid',
          message: `ctnet set ${req.edit.container}: no container "${req.edit.container}" in the manifests`,
        },
      ]);
    const t = targetInterface(set, ct, req.edit.iface);
    if ('error' in t) return refuse([{ code: 'invalid', message: `ctnet set ${req.edit.container}: ${t.error}` }]);
    const addresses = editList(ct.spec.interfaces![t.index].addresses ?? [], req.edit);
    const file = realpathSync(ct.source.file);
    const before = readText(file);
    const edited = editAddressesText(before, ct.metadata.name, t.index, addresses);
    if ('error' in edited) return refuse([{ code: 'invalid', file, message: `cannot edit: ${edited.error}` }]);
    const editedSet = withAddresses(set, ct, t.index, addresses);
    const invalid = checkRules(editedSet);
    if (invalid.length)
      return refuse(
        invalid.map((e) => ({ code: 'invalid', message: `ctnet set ${req.edit.container} --save: ${formatError(e)}` })),
      );
    // the kernel's objections (an address in use, a foreign object in the way) before the file changes
    const dry = await reconcile({
      ...base,
      dryRun: true,
      loaded: { set: editedSet, desired: buildDesired(editedSet) },
    });
    if (dry.outcome !== 'dry-run') return dry;
    writeFileAtomically(file, edited.text);
    const r = await reconcile({ ...base, revertFiles: [{ path: file, text: before }] });
    // rolled back: the file says what the host has again
    if (r.rollback) writeFileAtomically(file, before);
    return r.rollback ? r : { ...r, saved: file };
  } finally {
    lock.release();
  }
}
