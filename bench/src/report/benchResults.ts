import type { BenchOptions } from '../benchOptions';
import type { MachineInfo } from '../machine';
import type { AuthCostResult } from '../phases/authCost';
import type { EventLatencyResult } from '../phases/eventLatency';
import type { EventsRestResult } from '../phases/eventsRest';
import type { GatewayComparisonResult } from '../phases/gatewayComparison';
import type { NPlusOneResult } from '../phases/nPlusOne';
import type { OutboxRelayResult } from '../phases/outboxRelay';
import type { OverrideLabelsResult } from '../phases/overrideLabels';
import type { RestShimResult } from '../phases/restShim';
import type { ShadowCostResult } from '../phases/shadowCost';
import type { SubscriptionFanoutResult } from '../phases/subscriptionFanout';
import type { TracingCostResult } from '../phases/tracingCost';
import type { VariedWorkloadResult } from '../phases/variedWorkload';
import type { EarlierRun } from './mergeResults';

export interface TargetCheck {
  name: string;
  target: string;
  measured: string;
  met: boolean;
}

/** Everything one `npm run bench` measured: written as latest.json, rendered as latest.md. */
export interface BenchResults {
  command: string;
  machine: MachineInfo;
  settings: Pick<
    BenchOptions,
    'quick' | 'rounds' | 'measureSeconds' | 'warmupSeconds' | 'settleSeconds' | 'connections'
  >;
  dataSet: Record<string, number>;
  /** Part 1's lead: every request different, so nothing collapses. */
  variedWorkload?: VariedWorkloadResult;
  /** One comparison per user-base size, every client sending the same query. */
  gateways?: GatewayComparisonResult[];
  /** The nested query with a progressive-override label evaluated, against none. */
  overrideLabels?: OverrideLabelsResult;
  /** The nested query with tracing off, sampled at 1 % and at 100 %. */
  tracingCost?: TracingCostResult;
  /** The varied workload anonymous and signed in: what authentication and authorization cost. */
  authCost?: AuthCostResult;
  rest?: RestShimResult;
  /** The REST shim at a fixed rate with every read shadowed, and with none. */
  shadowCost?: ShadowCostResult;
  /** The varied GraphQL workload at a fixed rate with every migrated query shadowed, and none. */
  graphqlShadowCost?: ShadowCostResult;
  nPlusOne?: NPlusOneResult;
  events?: {
    rest: EventsRestResult;
    /** The events service as configured by default. */
    outbox: OutboxRelayResult;
    /** The same with another relay batch size, when the run measured one. */
    outboxWhatIf?: { batchSize: number; result: OutboxRelayResult };
    latency: EventLatencyResult;
  };
  /** With --merge: the earlier runs whose sections this report kept, each with its sections. */
  earlierRuns?: EarlierRun[];
  /** 1,000 subscribers while ratings are written, and a resume storm. */
  subscriptions?: SubscriptionFanoutResult;
  targets: TargetCheck[];
  durationSeconds: number;
}
