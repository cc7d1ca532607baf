// Misuse of the data plane by its caller (not a network outcome: those are answers or NetworkErrors).

export type DataPlaneErrorCode = 'POD_NOT_RUNNING';

export class DataPlaneError extends Error {
  readonly code: DataPlaneErrorCode;

  constructor(code: DataPlaneErrorCode, message: string) {
    super(message);
    this.name = 'DataPlaneError';
    this.code = code;
  }
}
