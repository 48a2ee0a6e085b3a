/** Why the local Kafka broker could not be prepared, started or reached. */
export class KafkaLauncherError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'KafkaLauncherError';
  }
}
