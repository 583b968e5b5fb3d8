/**
 * An owner reference the API server accepted need only be non-empty (apimachinery's validateOwnerReference checks
 * kind, name and uid for emptiness alone), so anyone who may create a pod may name any owner: `<!channel>`, a link,
 * a token. Controllers name their objects as Kubernetes names (custom resources as path segments, which may hold
 * capitals and `:`); an owner outside these shapes names no object that can exist, and is not believed.
 */
const OWNER_KIND = /^[A-Za-z][A-Za-z0-9]{0,62}$/;
const OWNER_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9.:-]{0,251}[A-Za-z0-9])?$/;

/** Whether an owner reference is shaped like an object that can exist (see above). Pure. */
export function isBelievableOwner(owner: { kind?: unknown; name?: unknown }): boolean {
  return (
    typeof owner.kind === 'string' &&
    typeof owner.name === 'string' &&
    OWNER_KIND.test(owner.kind) &&
    OWNER_NAME.test(owner.name)
  );
}
