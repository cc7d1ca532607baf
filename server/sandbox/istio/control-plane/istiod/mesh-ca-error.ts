/** A CA Secret istiod cannot start its CA from (a `cacerts` missing a key, a key that does not match its certificate…). */
export class MeshCaError extends Error {
  readonly code: 'CA_SECRET_INVALID';
  constructor(code: MeshCaError['code'], message: string) {
    super(message);
    this.name = 'MeshCaError';
    this.code = code;
  }
}
