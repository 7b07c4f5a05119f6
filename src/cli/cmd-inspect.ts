import { snapshot, status, validate, type StatusReport } from '../engine/inspect.js';
import { json, jsonError, printErrors, printNotices, say, type GlobalOpts } from './output.js';
import { exitCodeFor } from '../model/errors.js';

export async function cmdValidate(g: GlobalOpts, paths: readonly string[]): Promise<number> {
  const r = await validate(paths);
  if (r.errors.length) {
    if (g.json) json({ valid: false, errors: r.errors.map(jsonError) });
    else printErrors(r.errors);
    return exitCodeFor(r.errors);
  }
  if (g.json) json({ valid: true, files: r.files, objects: r.objects });
  else say(g, `${r.files} files, ${r.objects} objects: valid.\n`);
  return 0;
}

export async function cmdSnapshot(g: GlobalOpts, paths: readonly string[]): Promise<number> {
  const r = await snapshot(g, paths);
  printNotices(r.notices);
  if (r.errors.length) return printErrors(r.errors);
  process.stdout.write(JSON.stringify(r.snapshot, null, 1) + '\n');
  return 0;
}

export async function cmdStatus(g: GlobalOpts): Promise<number> {
  const s = await status(g);
  printNotices(s.notices);
  if (g.json) {
    json({
      lastApplied: s.lastApplied,
      namespaces: s.namespaces,
      hostLinks: s.hostLinks,
      sysctls: s.sysctls,
      allocations: s.allocations,
      overrides: s.overrides,
      drift: s.drift,
      confirmation: s.confirmation,
    });
    return 0;
  }
  const la = s.lastApplied as { at: string; digest: string } | null;
  const out = [`last applied: ${la ? `${la.at} (${la.digest})` : 'never'}`];
  const nsLine = (n: (typeof s.namespaces)[number]): string => {
    const name = `${n.name}${n.path ? ` -> ${n.path}` : ''}`;
    return `  ${n.present ? 'ok     ' : 'MISSING'} ${name}  ${n.owner}  ${n.interfaces} interfaces`;
  };
  out.push(`namespaces (${s.namespaces.length}):`, ...s.namespaces.map(nsLine));
  out.push(
    `host links (${s.hostLinks.length}):`,
    ...s.hostLinks.map((l) => `  ${l.up ? 'up  ' : 'DOWN'} ${l.name}  ${l.owner}`),
  );
  out.push(
    `sysctls changed (${s.sysctls.length}):`,
    ...s.sysctls.map(
      (x) =>
        `  ${x.key} = ${x.current ?? '(missing)'}  (${x.original !== undefined ? `was ${x.original}` : 'no original recorded: destroy leaves it as it is'})`,
    ),
  );
  const alloc = Object.entries(s.allocations);
  out.push(`allocations (${alloc.length}):`, ...alloc.map(([id, a]) => `  ${id}  ${a.join(' ')}`));
  out.push(
    `overrides (${s.overrides.length}):`,
    ...s.overrides.map(
      (o) =>
        `  container/${o.container} ${o.interface} (netns ${o.netns}): ${[...o.add.map((a) => `+${a}`), ...o.del.map((a) => `-${a}`)].join(' ')}  (runtime, ctnet set ${o.container} --reset drops it)`,
    ),
  );
  out.push(s.drift.length ? `drift (${s.drift.length}):` : 'drift: none', ...s.drift.map((d) => `  ${d}`));
  out.push(...confirmationLines(s.confirmation));
  say(g, out.join('\n') + '\n');
  return 0;
}

/** A change waiting for `ctnet confirm`, and how the last unconfirmed one ended. */
function confirmationLines(c: StatusReport['confirmation']): string[] {
  const p = c.pending;
  const lines = [
    p
      ? `confirmation: PENDING until ${p.deadline} (${p.secondsLeft} s left; reverter ${p.reverterAlive ? 'running' : 'NOT running'}): ctnet confirm keeps the change applied at ${p.appliedAt}, ctnet confirm --revert undoes it`
      : 'confirmation: none pending',
  ];
  const r = c.last;
  if (r?.why === 'confirmed') lines.push(`last confirmation: confirmed at ${r.at}`);
  else if (r)
    lines.push(
      `last unconfirmed change: reverted at ${r.at} (${r.why === 'asked' ? 'ctnet confirm --revert' : `deadline ${r.deadline}`}), ${r.changes} changes${r.left.length ? `; NOT fully: ${r.left.join('; ')}` : ''}`,
    );
  return lines;
}
