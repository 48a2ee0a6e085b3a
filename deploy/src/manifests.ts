import { parseAllDocuments } from 'yaml';

/** The parts of rendered Kubernetes objects the chart tests look at. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  data?: Record<string, string>;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    configMapKeyRef?: { name: string; key: string };
    secretKeyRef?: { name: string; key: string };
  };
}

export interface Probe {
  httpGet?: { path: string; port: string | number };
  tcpSocket?: { port: string | number };
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: { name: string; containerPort: number }[];
  env?: EnvVar[];
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    runAsNonRoot?: boolean;
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    capabilities?: { drop?: string[] };
  };
  volumeMounts?: { name: string; mountPath: string }[];
}

export interface PodSpec {
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  containers: Container[];
  initContainers?: Container[];
  volumes?: { name: string; emptyDir?: object }[];
  restartPolicy?: string;
}

export interface Deployment extends K8sObject {
  spec: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
      spec: PodSpec;
    };
  };
}

export interface Service extends K8sObject {
  spec: {
    selector: Record<string, string>;
    ports: { name: string; port: number; targetPort: string | number }[];
  };
}

export interface IngressPath {
  path: string;
  pathType: string;
  backend: { service: { name: string; port: { name?: string; number?: number } } };
}

export interface Ingress extends K8sObject {
  spec: {
    ingressClassName?: string;
    tls?: { hosts: string[]; secretName: string }[];
    rules: { host: string; http: { paths: IngressPath[] } }[];
  };
}

export interface BackendRef {
  name: string;
  port: number;
  weight?: number;
}

export interface HttpRouteMatch {
  path: { type: string; value: string };
  headers?: { type: string; name: string; value: string }[];
}

export interface HttpRoute extends K8sObject {
  spec: {
    parentRefs: { name: string; namespace?: string }[];
    hostnames: string[];
    rules: { matches: HttpRouteMatch[]; backendRefs: BackendRef[] }[];
  };
}

export interface PodDisruptionBudget extends K8sObject {
  spec: { maxUnavailable?: number | string; selector: { matchLabels: Record<string, string> } };
}

export interface HorizontalPodAutoscaler extends K8sObject {
  spec: {
    scaleTargetRef: { kind: string; name: string };
    minReplicas: number;
    maxReplicas: number;
  };
}

export interface StatefulSet extends K8sObject {
  spec: { template: { spec: PodSpec } };
}

export interface Pod extends K8sObject {
  spec: PodSpec;
}

/** Every object of a `helm template` output, in order. */
export function parseManifests(text: string): K8sObject[] {
  return parseAllDocuments(text).flatMap((document) => {
    if (document.errors.length > 0) throw new Error(document.errors.join('\n'));
    const value = document.toJS() as K8sObject | null;
    return value ? [value] : [];
  });
}

/** The rendered objects, looked up by kind and name. */
export class Manifests {
  constructor(readonly objects: readonly K8sObject[]) {}

  ofKind<T extends K8sObject>(kind: string): T[] {
    return this.objects.filter((object) => object.kind === kind) as T[];
  }

  find<T extends K8sObject>(kind: string, name: string): T | undefined {
    return this.ofKind<T>(kind).find((object) => object.metadata.name === name);
  }

  get<T extends K8sObject>(kind: string, name: string): T {
    const found = this.find<T>(kind, name);
    if (!found) {
      const names = this.ofKind(kind).map((object) => object.metadata.name);
      throw new Error(`no ${kind} ${name}; rendered: ${names.join(', ') || 'none'}`);
    }
    return found;
  }
}

/** Whether every label of `selector` is on `labels`. */
export function selects(
  selector: Record<string, string>,
  labels: Record<string, string> | undefined,
): boolean {
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}
