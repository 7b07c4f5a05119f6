/** `Network/public`: a document's kind and name when both are readable, whatever else is wrong. */
export function docIdentity(data: unknown): string | undefined {
  const d = data as { kind?: unknown; metadata?: { name?: unknown } | null } | null;
  if (d === null || typeof d !== 'object' || typeof d.kind !== 'string') return undefined;
  const name = d.metadata !== null && typeof d.metadata === 'object' ? d.metadata.name : undefined;
  return typeof name === 'string' ? `${d.kind}/${name}` : undefined;
}
