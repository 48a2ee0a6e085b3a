import { measureAlternating } from '../load/measureAlternating';
import type { AlternatingOptions, TargetSummary } from '../load/measureAlternating';
import type { LoadTarget } from '../load/runLoad';
import type { BenchChild } from '../processes/startChild';

export interface EventsRestResult {
  /** Events accepted (201, acknowledged by Kafka) per second, straight to the events service. */
  direct: TargetSummary;
  /** The same through the gateway's /api/events passthrough. */
  viaGateway: TargetSummary;
}

const movieEvent = (url: string): LoadTarget => ({
  url,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ movie_id: 1, title: 'Bench movie', action: 'viewed', user_id: 1 }),
  verify: (body) => body.startsWith('{"status":"success"'),
});

/** Part 4a: events per second through `POST /api/events/movie`. */
export async function measureEventsRest(
  deps: { events: BenchChild; gateway: BenchChild },
  options: AlternatingOptions,
): Promise<EventsRestResult> {
  const measured = await measureAlternating(
    [
      {
        id: 'direct',
        load: movieEvent(`${deps.events.url}/api/events/movie`),
        cpu: { gateway: [deps.gateway], 'events service': [deps.events] },
      },
      {
        id: 'via-gateway',
        load: movieEvent(`${deps.gateway.info.base}/api/events/movie`),
        cpu: { gateway: [deps.gateway], 'events service': [deps.events] },
      },
    ],
    options,
  );
  return {
    direct: measured.direct as TargetSummary,
    viaGateway: measured['via-gateway'] as TargetSummary,
  };
}
