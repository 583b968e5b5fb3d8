/** An image reference split the way a person talks about it. */
export interface ImageRef {
  /** Registry host, "docker.io" when none is named. */
  registry: string;
  repository: string;
  /** "latest" when neither tag nor digest is given: that is what the runtime pulls. */
  tag?: string;
  digest?: string;
}

/** Splits `registry.example.com:5000/team/app:v1@sha256:...` into registry, repository, tag and digest. */
export function parseImageRef(image: string): ImageRef {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let registry = 'docker.io';
  const firstSlash = rest.indexOf('/');
  if (firstSlash > 0) {
    const first = rest.slice(0, firstSlash);
    // Docker's rule: the first component is a registry when it has a dot or a port, or is localhost.
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(firstSlash + 1);
    }
  }
  const ref: ImageRef = { registry, repository: rest };
  if (tag) ref.tag = tag;
  else if (!digest) ref.tag = 'latest';
  if (digest) ref.digest = digest;
  return ref;
}
