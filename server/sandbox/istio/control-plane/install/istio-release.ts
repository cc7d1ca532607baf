// The Istio release the sandbox emulates; every image tag and version line derives from it.
export const ISTIO_RELEASE = {
  version: '1.30.3',
  /** `v<major>.<minor>`, as used in istio.io documentation links. */
  docsVersion: 'v1.30',
  hub: 'docker.io/istio',
  tag: '1.30.3',
} as const;
