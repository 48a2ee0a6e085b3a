/** Why the local Zipkin server could not be prepared, started or reached. */
export class ZipkinLauncherError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ZipkinLauncherError';
  }
}
