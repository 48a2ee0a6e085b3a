import { existsSync, readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { STACK_SERVICES } from '../../scripts/stack/stackServices';
import { DELIVERED_SERVICES, repoPath } from './services';

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string; args?: Record<string, string> };
  environment?: Record<string, string | number | boolean>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] | string };
  read_only?: boolean;
  tmpfs?: string[];
  cap_drop?: string[];
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

function loadCompose(): ComposeFile {
  const document = parseDocument(readFileSync(repoPath('docker-compose.yml'), 'utf8'), {
    merge: true,
  });
  if (document.errors.length > 0) throw new Error(document.errors.join('\n'));
  return document.toJS() as ComposeFile;
}

const compose = loadCompose();
const services = compose.services;

function service(name: string): ComposeService {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

function healthcheckText(name: string): string {
  const test = service(name).healthcheck?.test;
  return Array.isArray(test) ? test.join(' ') : (test ?? '');
}

/** The version of the broker `npm start` and the tests run, from the launcher's pom. */
function localBrokerVersion(): string {
  const pom = readFileSync(repoPath('tools/local-infra/kafka/pom.xml'), 'utf8');
  const version = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom)?.[1];
  if (!version) throw new Error('no kafka.version in tools/local-infra/kafka/pom.xml');
  return version;
}

describe('docker-compose.yml', () => {
  it('runs PostgreSQL, Kafka, the Kafka UI, Zipkin and the five services, each from an image or a build', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'postgres',
        'kafka',
        'kafka-ui',
        'zipkin',
        ...DELIVERED_SERVICES.map(({ name }) => name),
      ].sort(),
    );
    for (const [name, definition] of Object.entries(services)) {
      expect({ name, runnable: Boolean(definition.image ?? definition.build) }).toEqual({
        name,
        runnable: true,
      });
    }
  });

  it('builds each service from the root Dockerfile, naming its folder, port and health path', () => {
    for (const { name, dir, port, healthPath } of DELIVERED_SERVICES) {
      expect({ name, build: service(name).build }).toEqual({
        name,
        build: {
          context: '.',
          args: { SERVICE_DIR: dir, SERVICE_PORT: String(port), HEALTH_PATH: healthPath },
        },
      });
    }
    expect(existsSync(repoPath('Dockerfile'))).toBe(true);
  });

  it('publishes the ports of `npm start` and sets every documented variable', () => {
    for (const { name, port, env } of DELIVERED_SERVICES) {
      const definition = service(name);
      expect({ name, ports: definition.ports }).toEqual({ name, ports: [`${port}:${port}`] });
      expect(Object.keys(definition.environment ?? {})).toEqual(expect.arrayContaining([...env]));
      expect(definition.environment?.PORT).toBe(String(port));
    }
  });

  it('agrees with the npm start stack on ports and health paths', () => {
    for (const stackService of STACK_SERVICES) {
      const delivered = DELIVERED_SERVICES.find(({ name }) => name === stackService.name);
      expect(delivered).toMatchObject({
        dir: stackService.dir,
        port: stackService.port,
        healthPath: stackService.healthPath,
      });
    }
  });

  it('points every service URL at the compose service that serves it, on its port', () => {
    const ports = new Map([
      ...DELIVERED_SERVICES.map(({ name, port }): [string, string] => [name, String(port)]),
      ['zipkin', '9411'],
    ]);
    const urls = Object.values(services).flatMap(({ environment = {} }) =>
      Object.values(environment).filter((value) => /^https?:\/\//.test(String(value))),
    );
    expect(urls.length).toBeGreaterThanOrEqual(5);
    for (const value of urls) {
      const url = new URL(String(value));
      expect({ url: String(value), port: ports.get(url.hostname) }).toEqual({
        url: String(value),
        port: url.port,
      });
    }
    expect(service('gateway').environment).toMatchObject({
      MONOLITH_URL: 'http://legacy-monolith:8080',
      MOVIES_SERVICE_URL: 'http://movies-service:8081',
      EVENTS_SERVICE_URL: 'http://events-service:8082',
      MONOLITH_SUBGRAPH_URL: 'http://monolith-subgraph:8083/graphql',
    });
  });

  it('switches the gradual migration on by default, overridable from the environment', () => {
    expect(service('gateway').environment).toMatchObject({
      GRADUAL_MIGRATION: '${GRADUAL_MIGRATION:-true}',
      MOVIES_MIGRATION_PERCENT: '${MOVIES_MIGRATION_PERCENT:-50}',
    });
  });

  it("takes the gateway's admin token from the environment, off when unset", () => {
    expect(service('gateway').environment).toMatchObject({ ADMIN_TOKEN: '${ADMIN_TOKEN:-}' });
    expect(service('gateway').depends_on).toHaveProperty('postgres');
  });

  it("passes the gateway's token verification through from the environment, REST_AUTH off", () => {
    expect(service('gateway').environment).toMatchObject({
      JWT_JWKS_URL: '${JWT_JWKS_URL:-}',
      JWT_ISSUER: '${JWT_ISSUER:-}',
      JWT_AUDIENCE: '${JWT_AUDIENCE:-}',
      REST_AUTH: '${REST_AUTH:-off}',
      AUTHZ_MODE: '${AUTHZ_MODE:-filter}',
    });
  });

  it('connects services to the compose PostgreSQL and Kafka', () => {
    for (const { name, env } of DELIVERED_SERVICES) {
      const environment = service(name).environment ?? {};
      if (env.includes('DB_CONNECTION_STRING')) {
        expect(String(environment.DB_CONNECTION_STRING)).toMatch(
          /^postgres:\/\/[^@]+@postgres:5432\/cinemaabyss$/,
        );
      }
      if (env.includes('KAFKA_BROKERS')) expect(environment.KAFKA_BROKERS).toBe('kafka:9092');
    }
  });

  it('health-checks each service on its documented health path with node, not curl', () => {
    for (const { name, port, healthPath } of DELIVERED_SERVICES) {
      const test = healthcheckText(name);
      expect(test).toContain(`http://127.0.0.1:${port}${healthPath}`);
      expect(test).toMatch(/^CMD node -e fetch\(/);
    }
  });

  it('starts a service only after every service it depends on is healthy', () => {
    for (const [name, definition] of Object.entries(services)) {
      for (const [target, { condition }] of Object.entries(definition.depends_on ?? {})) {
        expect({ name, target, exists: target in services }).toEqual({
          name,
          target,
          exists: true,
        });
        expect({ name, target, condition }).toEqual({
          name,
          target,
          condition: 'service_healthy',
        });
        expect({ target, healthcheck: healthcheckText(target).length > 0 }).toEqual({
          target,
          healthcheck: true,
        });
      }
    }
    // The schema owner migrates before anything that shares its tables starts.
    for (const name of ['movies-service', 'events-service', 'monolith-subgraph', 'gateway']) {
      expect(Object.keys(service(name).depends_on ?? {})).toContain('legacy-monolith');
    }
  });

  it('runs Kafka in KRaft mode from the official image, at the local broker version, unpublished', () => {
    const kafka = service('kafka');
    expect(kafka.image).toBe(`apache/kafka:${localBrokerVersion()}`);
    expect(kafka.environment).toMatchObject({
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@kafka:9093',
      KAFKA_ADVERTISED_LISTENERS: 'PLAINTEXT://kafka:9092',
    });
    expect(kafka.ports).toBeUndefined();
    expect(
      Object.entries(services).filter(([name, { image }]) =>
        /zookeeper/i.test(`${name} ${image ?? ''}`),
      ),
    ).toEqual([]);
  });

  it("sends every service's spans to the compose Zipkin (the local launcher's version), which none waits for", () => {
    const zipkin = service('zipkin');
    const launcher = readFileSync(repoPath('tools/local-infra/src/zipkin/zipkinJar.ts'), 'utf8');
    const version = /DEFAULT_ZIPKIN_VERSION = '([^']+)'/.exec(launcher)?.[1];
    expect(zipkin.image).toBe(`openzipkin/zipkin:${version}`);
    expect(zipkin.ports).toEqual(['9411:9411']);
    expect(healthcheckText('zipkin')).not.toBe('');
    for (const { name } of DELIVERED_SERVICES) {
      expect({ name, ...service(name).environment }).toMatchObject({
        name,
        TRACING: '${TRACING:-on}',
        OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'http://zipkin:9411/api/v2/spans',
        OTEL_TRACES_SAMPLER: '${OTEL_TRACES_SAMPLER:-parentbased_always_on}',
      });
      expect(Object.keys(service(name).depends_on ?? {})).not.toContain('zipkin');
    }
  });

  it('serves the Kafka UI on 8090, reading the compose broker', () => {
    const ui = service('kafka-ui');
    expect(ui.image).toMatch(/^kafbat\/kafka-ui:/);
    expect(ui.ports).toEqual(['8090:8080']);
    expect(ui.environment).toMatchObject({ KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS: 'kafka:9092' });
  });

  it('keeps PostgreSQL and Kafka data in declared named volumes', () => {
    expect(service('postgres').volumes).toEqual(['postgres-data:/var/lib/postgresql/data']);
    expect(service('kafka').volumes).toEqual(['kafka-data:/var/lib/kafka/data']);
    const used = Object.values(services).flatMap(({ volumes = [] }) =>
      volumes.map((volume) => volume.split(':')[0]),
    );
    expect(Object.keys(compose.volumes ?? {}).sort()).toEqual([...new Set(used)].sort());
  });

  it('runs the services read-only and unprivileged, with a writable /tmp', () => {
    for (const { name } of DELIVERED_SERVICES) {
      expect({ name, ...service(name) }).toMatchObject({
        name,
        read_only: true,
        tmpfs: ['/tmp'],
        cap_drop: ['ALL'],
      });
    }
  });
});
