import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { devGatewayAuthEnv, devSigningKeyFiles, signDevToken } from '@cinemaabyss/local-infra';
import type { DevTokenClaims } from '@cinemaabyss/local-infra';
import { Writable } from 'node:stream';
import { createTestDatabase } from '@cinemaabyss/shared/testing';
import type { LogLine, TestDatabase } from '@cinemaabyss/shared/testing';
import { startStackService } from '../../scripts/stack/servicesProcess';
import type { ServiceProcess } from '../../scripts/stack/servicesProcess';
import { freeStackPorts, stackServices } from '../../scripts/stack/stackServices';

const ROOT = path.resolve(__dirname, '../..');

export interface ProcessStack {
  /** Base URL of each service, by its stack name (`gateway`, `legacy-monolith`, …). */
  url(service: string): string;
  /** The JSON lines a service has written so far. */
  logs(service: string): LogLine[];
  /** SIGTERM to one service; resolves once its process is gone. */
  stopService(service: string): Promise<void>;
  /** Starts a stopped service again, on its port; resolves once it is healthy. */
  startService(service: string): Promise<void>;
  db: TestDatabase;
  /** `{ authorization: 'Bearer …' }` the gateway accepts: signed with the stack's dev key. */
  bearer(claims?: Partial<DevTokenClaims>): Promise<{ authorization: string }>;
  stop(): Promise<void>;
}

/**
 * The stack as `npm start` runs it, each service its own process through its real entry point
 * (so whatever that loads first, such as tracing, is what is tested), on free ports and a fresh
 * database, their output kept in memory rather than on the test's console.
 */
export async function startProcessStack({
  services,
  env = {},
  serviceEnv = {},
}: {
  /** Which stack services to run, in the stack's order. */
  services: readonly string[];
  /** Added to every service's environment. */
  env?: Record<string, string>;
  /** Added to one service's environment, over what the stack sets: `{ gateway: { … } }`. */
  serviceEnv?: Record<string, Record<string, string>>;
}): Promise<ProcessStack> {
  const db = await createTestDatabase();
  // The gateway trusts a throw-away dev key, as `npm start`'s trusts the cached one.
  const authDir = await mkdtemp(path.join(os.tmpdir(), 'process-stack-auth-'));
  const gatewayAuth = await devGatewayAuthEnv(authDir, {});
  const ports = await freeStackPorts();
  const chosen = stackServices(ports).filter((service) => services.includes(service.name));
  const running = new Map<string, ServiceProcess>();
  const lines = new Map<string, LogLine[]>();
  const stopAll = async () => {
    for (const child of [...running.values()].reverse()) await child.stop();
    await db.drop();
    await rm(authDir, { recursive: true, force: true });
  };

  const launch = async (service: (typeof chosen)[number]): Promise<void> => {
    const written = lines.get(service.name) ?? [];
    lines.set(service.name, written);
    await startStackService({
      service,
      root: ROOT,
      env: {
        ...process.env,
        DB_CONNECTION_STRING: db.connectionString,
        ...env,
        ...service.env({ kafkaBrokers: process.env.KAFKA_BROKERS ?? '' }),
        ...(service.name === 'gateway' && gatewayAuth),
        ...serviceEnv[service.name],
      },
      prefix: '',
      out: collectJsonLines(written),
      onSpawned: (child) => running.set(service.name, child),
    });
  };

  try {
    for (const service of chosen) await launch(service);
  } catch (error) {
    await stopAll();
    throw error;
  }

  const portOf = new Map(chosen.map((service) => [service.name, service.port]));
  return {
    url: (service) => `http://127.0.0.1:${portOf.get(service) ?? 0}`,
    logs: (service) => lines.get(service) ?? [],
    async stopService(service) {
      await running.get(service)?.stop();
      running.delete(service);
    },
    async startService(name) {
      const service = chosen.find((candidate) => candidate.name === name);
      if (!service) throw new Error(`${name} is not a service of this stack`);
      if (running.has(name)) throw new Error(`${name} is running already`);
      await launch(service);
    },
    db,
    bearer: async ({ subject = '1', scopes = [], expiresInSeconds } = {}) => ({
      authorization: `Bearer ${await signDevToken(devSigningKeyFiles(authDir), {
        subject,
        scopes,
        ...(expiresInSeconds && { expiresInSeconds }),
      })}`,
    }),
    stop: stopAll,
  };
}

/** A stream that keeps each JSON line it is given, parsed; other lines are kept as messages. */
function collectJsonLines(into: LogLine[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        const text = line.trim();
        if (text === '') continue;
        try {
          into.push(JSON.parse(text) as LogLine);
        } catch {
          into.push({ level: 'raw', msg: text });
        }
      }
      done();
    },
  });
}
