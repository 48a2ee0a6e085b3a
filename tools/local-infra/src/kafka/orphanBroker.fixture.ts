/**
 * Run by localKafka.int.test.ts as a separate Node process that starts a broker, prints its
 * bootstrap address and then idles until it is killed, so the test can kill this process
 * with SIGKILL (no 'exit' handlers run) and check the broker does not outlive it.
 */
import { startLocalKafka } from './localKafka';

void startLocalKafka({ port: 0, topics: [] }).then(
  (kafka) => {
    process.stdout.write(`${JSON.stringify(kafka.brokers)}\n`);
    setInterval(() => {}, 60_000);
  },
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
