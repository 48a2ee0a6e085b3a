import type { Logger } from '@cinemaabyss/shared/logging';
import { createSilentLogger } from '@cinemaabyss/shared/logging';
import { readTracingConfig } from '@cinemaabyss/shared/tracing';
import { startLocalZipkin } from './localZipkin';
import type { LocalZipkin, StartLocalZipkinOptions } from './localZipkin';

/** Where the stack's spans go, and what the services must be told for that. */
export interface TracingBackend {
  /** The Zipkin this process started, if it started one. */
  zipkin?: LocalZipkin;
  /** Variables to add to every service's environment. */
  serviceEnv: Record<string, string>;
  /** One line for the log: where traces are to be found. */
  description: string;
}

/**
 * For `npm start`: a local Zipkin unless tracing is off (TRACING=off, OTEL_SDK_DISABLED,
 * OTEL_TRACES_EXPORTER=none) or spans already have somewhere to go (OTEL_EXPORTER_ZIPKIN_ENDPOINT,
 * an OTLP endpoint). The services' own reader decides, so both read the variables alike. A
 * Zipkin that cannot start is not worth stopping the stack for: the services then run untraced.
 */
export async function ensureTracingBackend(
  options: StartLocalZipkinOptions & { env?: NodeJS.ProcessEnv } = {},
): Promise<TracingBackend> {
  const { env = process.env, ...startOptions } = options;
  const logger: Logger = startOptions.logger ?? createSilentLogger();
  const config = readTracingConfig(env, 'stack');
  if (!config.enabled) return { serviceEnv: {}, description: `tracing is off (${config.reason})` };
  if (config.exporter.kind !== 'zipkin' || env.OTEL_EXPORTER_ZIPKIN_ENDPOINT?.trim()) {
    return {
      serviceEnv: {},
      description: `spans go to ${config.exporter.url} (${config.exporter.kind}); no local Zipkin`,
    };
  }
  try {
    const zipkin = await startLocalZipkin(startOptions, env);
    return {
      zipkin,
      serviceEnv: { OTEL_EXPORTER_ZIPKIN_ENDPOINT: zipkin.spansEndpoint },
      description: `traces: ${zipkin.url}/zipkin/`,
    };
  } catch (error) {
    logger.warn(
      { err: (error as Error).message.split('\n')[0] },
      'could not start a local Zipkin; the services run without tracing',
    );
    return { serviceEnv: { TRACING: 'off' }, description: 'tracing is off (no local Zipkin)' };
  }
}
