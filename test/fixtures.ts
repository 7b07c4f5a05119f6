/** Manifest text for tests: one document, a multi-document file, a container in its own netns. */
export const doc = (kind: string, name: string, spec: string): string =>
  `apiVersion: ctnet/v1\nkind: ${kind}\nmetadata: {name: ${name}}\nspec: ${spec}\n`;

export const docs = (...d: string[]): string => d.join('---\n');

/** `@` becomes the sandbox's prefix, so namespaces never collide with another test's. */
export const container = (name: string, ifaces: string): string =>
  doc('Container', name, `{netns: "@${name}", interfaces: [${ifaces}]}`);

export const routedNet = (name: string, subnets: string, extra = ''): string =>
  doc('Network', name, `{type: routed, subnets: [${subnets}]${extra}}`);
