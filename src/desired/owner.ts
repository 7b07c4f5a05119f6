/** `container/ct1`, `network/lan`, `vm/web`: the owner every object made for a manifest carries. */
export const ownerOf = (m: { kind: string; metadata: { name: string } }): string =>
  `${m.kind === 'VirtualMachine' ? 'vm' : m.kind.toLowerCase()}/${m.metadata.name}`;
