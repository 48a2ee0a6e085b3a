import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Where a broker keeps its files under the data dir the caller chose (or a temp one). */
export interface BrokerLayout {
  /** Kafka's `log.dirs`: partitions, KRaft metadata and meta.properties. */
  logDirs: string;
  /** The broker's own log4j2 output (server.log, warnings.log) and its stdout/stderr. */
  appLogsDir: string;
  serverProperties: string;
  log4jConfig: string;
}

/**
 * Kafka's own log files stay out of `log.dirs`, where the broker expects only partition
 * directories; config files are rewritten on every start, so only `kafka-data/` is state.
 */
export function brokerLayout(dataDir: string): BrokerLayout {
  return {
    logDirs: path.join(dataDir, 'kafka-data'),
    appLogsDir: path.join(dataDir, 'logs'),
    serverProperties: path.join(dataDir, 'server.properties'),
    log4jConfig: path.join(dataDir, 'log4j2.xml'),
  };
}

/** `format` writes meta.properties; a dir that has it must not be formatted again. */
export function isFormatted(layout: BrokerLayout): boolean {
  return existsSync(path.join(layout.logDirs, 'meta.properties'));
}

export interface BrokerConfigOptions {
  port: number;
  controllerPort: number;
  /** Partitions of auto-created topics, so they match the ones we create. */
  partitions: number;
}

/** Single-node KRaft (broker and controller in one JVM) with test-friendly internal topics. */
export function renderServerProperties(layout: BrokerLayout, options: BrokerConfigOptions): string {
  const { port, controllerPort, partitions } = options;
  const settings: Record<string, string | number> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    // Dynamic quorum, as `format --standalone` expects.
    'controller.quorum.bootstrap.servers': `127.0.0.1:${controllerPort}`,
    'log.dirs': layout.logDirs,
    'num.partitions': partitions,
    // One node cannot hold more than one replica of anything.
    'offsets.topic.replication.factor': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    // Consumer groups join at once and __consumer_offsets is quick to create.
    'group.initial.rebalance.delay.ms': 0,
    'offsets.topic.num.partitions': 1,
  };
  const lines = Object.entries(settings).map(([key, value]) => `${key}=${escapeValue(value)}`);
  return `# Written by @cinemaabyss/shared startLocalKafka on every start; edits are lost.\n${lines.join('\n')}\n`;
}

/** Java properties treat backslashes as escapes (Windows-style paths, odd temp dirs). */
function escapeValue(value: string | number): string {
  return String(value).replace(/\\/g, '\\\\');
}

/**
 * Everything into files under `${sys:kafka.logs.dir}`: the broker's chatter must never reach
 * the stdout of the tests or services that started it. warnings.log is the short one to read.
 */
export function renderLog4jConfig(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by @cinemaabyss/shared startLocalKafka on every start; edits are lost. -->
<Configuration status="warn">
  <Appenders>
    <RollingFile name="server" fileName="\${sys:kafka.logs.dir}/server.log"
                 filePattern="\${sys:kafka.logs.dir}/server.log.%i">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
      <SizeBasedTriggeringPolicy size="10MB"/>
      <DefaultRolloverStrategy max="2"/>
    </RollingFile>
    <File name="warnings" fileName="\${sys:kafka.logs.dir}/warnings.log">
      <ThresholdFilter level="WARN" onMatch="ACCEPT" onMismatch="DENY"/>
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
    </File>
  </Appenders>
  <Loggers>
    <Root level="INFO">
      <AppenderRef ref="server"/>
      <AppenderRef ref="warnings"/>
    </Root>
  </Loggers>
</Configuration>
`;
}

/** Creates the dirs and (re)writes server.properties and log4j2.xml. */
export async function writeBrokerConfig(
  layout: BrokerLayout,
  options: BrokerConfigOptions,
): Promise<void> {
  await mkdir(layout.logDirs, { recursive: true });
  await mkdir(layout.appLogsDir, { recursive: true });
  await writeFile(layout.serverProperties, renderServerProperties(layout, options));
  await writeFile(layout.log4jConfig, renderLog4jConfig());
}
