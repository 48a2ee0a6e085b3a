import { INSTALL_JAVA_HINT, inspectToolchain } from '../jvm/toolchain';
import type { Toolchain } from '../jvm/toolchain';
import { KafkaLauncherError } from './errors';

/** java and mvn for the broker, or one KafkaLauncherError listing every problem and the way out. */
export async function findToolchain(env: NodeJS.ProcessEnv): Promise<Toolchain> {
  const { toolchain, problems } = await inspectToolchain(env);
  if (toolchain) return toolchain;
  throw new KafkaLauncherError(
    `Cannot start a local Kafka broker: ${problems.join('; ')}. ${INSTALL_JAVA_HINT}, ` +
      'or set KAFKA_BROKERS to an existing broker (e.g. KAFKA_BROKERS=127.0.0.1:9092).',
  );
}
