import path from 'node:path';
import type { GatewaySpec } from '../gateways/gatewaySpec';
import type { ServiceSpec } from './serviceMain';
import { startChild } from './startChild';
import type { BenchChild } from './startChild';

const SERVICE_MAIN = path.resolve(__dirname, 'serviceMain.ts');
const GATEWAY_MAIN = {
  ours: { entry: path.resolve(__dirname, '../gateways/oursMain.ts'), args: [] },
  'ours-nodedup': {
    entry: path.resolve(__dirname, '../gateways/oursMain.ts'),
    args: ['--no-inflight-dedup'],
  },
  stock: { entry: path.resolve(__dirname, '../gateways/stockMain.ts'), args: [] },
  hive: { entry: path.resolve(__dirname, '../gateways/hiveMain.ts'), args: [] },
  'hive-nodedup': {
    entry: path.resolve(__dirname, '../gateways/hiveMain.ts'),
    args: ['--no-inflight-dedup'],
  },
  // Hive Gateway planning with Hive Router's Rust query planner (@graphql-hive/router-runtime).
  'hive-rust': {
    entry: path.resolve(__dirname, '../gateways/hiveMain.ts'),
    args: ['--rust-planner'],
  },
  // Not a gateway: the floor of a second hop (node:http + the backend client, nothing else), for part 2.
  'bare-proxy': { entry: path.resolve(__dirname, '../gateways/bareProxyMain.ts'), args: [] },
};
export type GatewayKind = keyof typeof GATEWAY_MAIN;

/**
 * One folder per child: every thread writes its own profile (tsx's loader runs in a worker),
 * under Node's default names; the main thread's is the big one.
 */
function profileFlags(name: string, profileDir: string | undefined): string[] {
  return profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, name)}`] : [];
}

/** One backend service in its own process; with profileDir it writes a CPU profile on exit. */
export function startServiceChild(
  spec: ServiceSpec,
  { profileDir }: { profileDir?: string } = {},
): Promise<BenchChild> {
  return startChild(SERVICE_MAIN, {
    name: spec.kind,
    args: [JSON.stringify(spec)],
    nodeFlags: profileFlags(spec.kind, profileDir),
  });
}

/** One gateway in its own process; with profileDir it writes a CPU profile on exit. */
export function startGatewayChild(
  kind: GatewayKind,
  spec: GatewaySpec,
  {
    name = kind,
    profileDir,
    env,
  }: {
    name?: string;
    profileDir?: string;
    /** Added to the child's environment, e.g. the OTEL_* variables that turn tracing on. */
    env?: NodeJS.ProcessEnv;
  } = {},
): Promise<BenchChild> {
  const { entry, args } = GATEWAY_MAIN[kind];
  return startChild(entry, {
    name,
    args: [JSON.stringify(spec), ...args],
    nodeFlags: profileFlags(name, profileDir),
    env,
  });
}

/** The sink the traced gateways export their spans to (see spanSinkMain.ts). */
export function startSpanSinkChild(): Promise<BenchChild> {
  return startChild(path.resolve(__dirname, '../gateways/spanSinkMain.ts'), { name: 'span-sink' });
}
