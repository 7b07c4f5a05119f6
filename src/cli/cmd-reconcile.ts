import { readFileSync } from 'node:fs';
import { exitCodeFor, type CtnetError } from '../model/errors.js';
import { reconcile } from '../engine/reconcile.js';
import type { ReconcileRequest, Report, Snapshot } from '../engine/types.js';
import { planToText } from '../plan/view-text.js';
import { planToJson } from '../plan/view-json.js';
import { planToScript } from '../plan/view-script.js';
import { planToMarkdown, type MarkdownExtras } from '../plan/view-markdown.js';
import { printRollback, rollbackJson } from './rollback-view.js';
import { armed, waitingText } from './confirm-view.js';
import { savedText, writePlanFile } from './plan-file.js';
import { readSavedPlan } from '../engine/saved-plan.js';
import { json, jsonError, printErrors, printNotices, say, type GlobalOpts } from './output.js';
import { progressView } from './progress.js';

export interface ReconcileCliOpts {
  readonly dryRun?: boolean;
  readonly adopt?: boolean;
  readonly allowEmpty?: boolean;
  readonly detailedExitcode?: boolean;
  readonly snapshot?: string;
  /** plan: a directory of NODE.json snapshots, one plan per node. */
  readonly snapshots?: string;
  readonly output?: string;
  readonly atomic?: boolean;
  readonly confirm?: string;
  readonly out?: string;
}

/** `--confirm SECONDS`: a whole number of seconds, at least 1, at most a day. */
export function confirmSecondsOf(text: string | undefined): number | CtnetError | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (/^\d+$/.test(text) && n >= 1 && n <= 86_400) return n;
  return { code: 'invalid', message: `--confirm takes a number of seconds from 1 to 86400, not "${text}"` };
}

/** A file's JSON before it is known to be a snapshot: what is checked may be missing. */
type Unchecked = { formatVersion?: unknown; observed?: { host?: unknown }; inventory?: { version?: unknown } };

export function readSnapshot(file: string): Snapshot | CtnetError {
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as Unchecked;
    if (s.formatVersion !== 1 || !s.observed?.host || s.inventory?.version !== 2)
      throw new Error('not a ctnet snapshot (formatVersion 1, inventory version 2)');
    return s as Snapshot;
  } catch (e) {
    return { code: 'invalid', file, line: 1, column: 1, message: `cannot read snapshot: ${(e as Error).message}` };
  }
}

/** `plan`, `apply` and `destroy`: one engine call, then the one place that prints and picks the exit code. */
export async function cmdReconcile(
  g: GlobalOpts,
  mode: ReconcileRequest['mode'],
  paths: readonly string[],
  o: ReconcileCliOpts,
): Promise<number> {
  const fmt = o.output ?? (g.json ? 'json' : 'text');
  if (!['text', 'json', 'script', 'markdown'].includes(fmt))
    return printErrors([{ code: 'invalid', message: `-o must be text, json, script or markdown, not "${fmt}"` }]);
  const confirmSeconds = confirmSecondsOf(o.confirm);
  if (typeof confirmSeconds === 'object') return printErrors([confirmSeconds]);
  if ((o.atomic || confirmSeconds) && o.adopt)
    return printErrors([
      {
        code: 'invalid',
        message:
          '--atomic and --confirm cannot undo --adopt (taken-over objects would be deleted, not given back): adopt first',
      },
    ]);
  const snap = o.snapshot ? readSnapshot(o.snapshot) : undefined;
  // `apply FILE` of a saved plan: its manifests and options are the ones it was made with
  const saved = mode === 'apply' && paths.length === 1 ? readSavedPlan(paths[0]) : undefined;
  const bad = snap && 'code' in snap ? snap : saved && 'code' in saved ? saved : undefined;
  if (bad)
    return finish(g, mode, fmt, {
      outcome: 'rejected',
      errors: [bad],
      notices: [],
      commands: 0,
      hostNetns: g.hostNetns,
    });
  const plan = saved && !('code' in saved) ? saved : undefined;
  // plan changes nothing and is quick; apply and destroy may run long
  const progress = mode === 'plan' || o.dryRun ? undefined : progressView(g);
  const report = await reconcile({
    mode,
    paths: plan ? plan.manifests.files : paths,
    stateDir: g.stateDir,
    hostNetns: g.hostNetns,
    node: g.node,
    waitSeconds: g.waitSeconds,
    driverName: g.driverName,
    dryRun: o.dryRun,
    adopt: plan ? plan.options.adopt : o.adopt,
    allowEmpty: plan ? plan.options.allowEmpty : o.allowEmpty,
    snapshot: snap && !('code' in snap) ? snap : undefined,
    atomic: o.atomic,
    confirmSeconds,
    saved: plan,
    wantBasis: !!o.out,
    onProgress: progress?.onProgress,
  }).finally(() => progress?.stop());
  const unsaved = o.out ? writePlanFile(g, o.out, report, o) : [];
  const code = finish(g, mode, fmt, await armed(g, unsaved.length ? { ...report, errors: unsaved } : report));
  if (code === 0 && o.out && report.outcome === 'planned' && fmt === 'text') say(g, savedText(o.out));
  if (mode === 'plan' && code === 0 && o.detailedExitcode && report.plan?.actions.length) return 2;
  return code;
}

/** Runtime overrides as plan, apply and set show them: the files do not say these. */
export function overridesText(r: Report): string {
  if (!r.overrides?.length) return '';
  const lines = r.overrides.map(
    (o) =>
      `  container/${o.container} ${o.interface} (netns ${o.netns}): ${[...o.add.map((a) => `+${a}`), ...o.del.map((a) => `-${a}`)].join(' ')}`,
  );
  return (
    [
      'Runtime overrides (ctnet set without --save; kept until `ctnet set CT --reset` or the namespace is recreated):',
      ...lines,
    ].join('\n') + '\n'
  );
}

/** The one place that prints a report of `plan`, `apply`, `destroy` and `set`, and picks the exit code. */
export function finish(g: GlobalOpts, mode: ReconcileRequest['mode'], fmt: string, r: Report): number {
  printNotices(r.notices);
  const actions = r.plan?.actions ?? [];
  if (mode !== 'plan' && g.json) {
    // one JSON document: the plan, the result and every error
    json({
      formatVersion: 1,
      command: mode,
      plan: r.plan && r.outcome !== 'rejected' ? planToJson(actions, r.hostNetns) : null,
      result: r.outcome,
      commands: r.commands,
      errors: r.errors.map(jsonError),
      notices: r.notices,
      ...(r.overrides?.length ? { overrides: r.overrides } : {}),
      ...rollbackJson(r),
      ...(r.pending ? { pending: r.pending } : {}),
    });
    return r.errors.length ? exitCodeFor(r.errors) : 0;
  }
  if (fmt === 'markdown' && r.plan) say(g, planToMarkdown(r.plan.actions, markdownExtras(r)));
  if (r.outcome === 'rejected' || (mode === 'plan' && r.errors.length)) {
    if (g.json) json({ errors: r.errors.map(jsonError) });
    else printErrors(r.errors);
    return exitCodeFor(r.errors);
  }
  if (fmt === 'markdown') {
    // already shown
  } else if (fmt === 'json')
    json({ ...planToJson(actions, r.hostNetns), ...(r.overrides?.length ? { overrides: r.overrides } : {}) });
  else if (fmt === 'script') say(g, planToScript(actions, r.hostNetns));
  else say(g, planToText(actions, g.color) + overridesText(r));
  if (r.errors.length) {
    const code = printErrors(r.errors);
    printRollback(g, r);
    return code;
  }
  if (r.outcome === 'applied')
    say(
      g,
      `${mode === 'destroy' ? 'Destroy' : 'Apply'} complete: ${actions.length} changes, ${r.commands} commands; verified.\n`,
    );
  if (r.pending) say(g, waitingText(r.pending));
  return 0;
}

/** The markdown view's extras from a report: the runtime overrides and what the planner refused. */
export function markdownExtras(r: Report): MarkdownExtras {
  const overrides = (r.overrides ?? []).map(
    (o) =>
      `container/${o.container} ${o.interface} (netns ${o.netns}): ${[...o.add.map((a) => `+${a}`), ...o.del.map((a) => `-${a}`)].join(' ')}`,
  );
  const where = r.hostNetns === null ? undefined : `host netns ${r.hostNetns}`;
  return { overrides, conflicts: r.plan?.conflicts ?? [], where };
}
