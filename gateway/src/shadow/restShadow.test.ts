import { createMemoryLogger, isSettled, useFakeClock } from '@cinemaabyss/shared/testing';
import type { ShadowOutcome } from '../figures/figuresRecorder';
import type { BackendResponse } from '../rest/backendClient';
import type { NewMismatch } from './mismatchStore';
import { MAX_SHADOW_BODY_BYTES, SHADOW_HEADER, createRestShadow } from './restShadow';
import type { ServedRequest } from './restShadow';

const json = (status: number, body: unknown): BackendResponse => ({
  status,
  headers: {},
  body: Buffer.from(JSON.stringify(body)),
});

/** Noise marks in memory, as the noise store keeps them (without expiry). */
function memoryNoise() {
  const marks = new Map<string, Set<string>>();
  return {
    marks,
    learn: (migration: string, route: string, paths: readonly string[]) => {
      const key = `${migration} ${route}`;
      marks.set(key, new Set([...(marks.get(key) ?? []), ...paths]));
    },
    noisyPaths: (migration: string, route: string) =>
      marks.get(`${migration} ${route}`) ?? new Set<string>(),
  };
}

function setup({
  shadowPercent = 100,
  noisePercent = 0,
  ignorePaths = [] as string[],
  maxInFlight = 32,
} = {}) {
  const outcomes: ShadowOutcome[] = [];
  const kept: NewMismatch[] = [];
  const noise = memoryNoise();
  const { logger, lines } = createMemoryLogger({ level: 'warn' });
  const shadow = createRestShadow({
    migration: 'movies',
    settings: () => ({ shadowPercent, noisePercent, ignorePaths }),
    figures: { shadow: (outcome) => outcomes.push(outcome) },
    mismatches: { record: async (mismatch) => void kept.push(mismatch) },
    noise,
    logger,
    maxInFlight,
    timeoutMs: 2_000,
    random: () => 0.5,
  });
  return { shadow, outcomes, kept, lines, noise };
}

function served(
  callOtherSide: () => Promise<BackendResponse>,
  answer = json(200, { id: 1, title: 'Alien' }),
  callServedSide: () => Promise<BackendResponse> = async () => answer,
): ServedRequest {
  return {
    method: 'GET',
    path: '/api/movies?id=1',
    userBucket: 42,
    servedSide: 'old',
    served: answer,
    servedMs: 3,
    callOtherSide,
    callServedSide,
  };
}

/** Lets the background comparison finish (its calls here settle at once). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the REST shadow', () => {
  afterEach(() => jest.useRealTimers());

  it('samples GET and HEAD at the shadow share, never a write or a shadow call itself', () => {
    const half = setup({ shadowPercent: 50 });
    expect(half.shadow.sampled('GET', {})).toBe(false); // random() * 100 = 50, not below 50
    const most = setup({ shadowPercent: 51 });
    expect(most.shadow.sampled('GET', {})).toBe(true);
    expect(most.shadow.sampled('HEAD', {})).toBe(true);
    expect(most.shadow.sampled('POST', {})).toBe(false);
    expect(most.shadow.sampled('GET', { [SHADOW_HEADER]: '1' })).toBe(false);
    expect(setup({ shadowPercent: 0 }).shadow.sampled('GET', {})).toBe(false);
  });

  it('counts a match when the other side agrees, on the other side’s figures', async () => {
    const { shadow, outcomes, kept } = setup();
    shadow.compare(served(async () => json(200, { title: 'Alien', id: 1 })));
    await settle();
    expect(outcomes).toEqual([
      { migration: 'movies', side: 'new', surface: 'rest', result: 'match' },
    ]);
    expect(kept).toEqual([]);
  });

  it('counts the same bytes with the same status as a match', async () => {
    const { shadow, outcomes } = setup();
    shadow.compare(served(async () => json(200, { id: 1, title: 'Alien' })));
    shadow.compare(served(async () => json(404, { id: 1, title: 'Alien' })));
    await settle();
    await settle();
    expect(outcomes.map((o) => o.result)).toEqual(['match', 'mismatch']);
  });

  it('keeps a mismatch with its differing path, both statuses and the user’s bucket', async () => {
    const { shadow, outcomes, kept } = setup();
    shadow.compare(served(async () => json(200, { id: 1, title: 'Alien³' })));
    await settle();
    expect(outcomes.map((o) => o.result)).toEqual(['mismatch']);
    expect(kept).toEqual([
      {
        migration: 'movies',
        surface: 'rest',
        request: { method: 'GET', path: '/api/movies?id=1', userBucket: 42, servedSide: 'old' },
        status: { served: 200, shadow: 200 },
        latencyMs: { served: 3, shadow: expect.any(Number) },
        differences: [{ path: '/title', served: '"Alien"', shadow: '"Alien³"' }],
      },
    ]);
  });

  it('leaves the ignored paths out of the comparison', async () => {
    const { shadow, outcomes } = setup({ ignorePaths: ['/title'] });
    shadow.compare(served(async () => json(200, { id: 1, title: 'other' })));
    await settle();
    expect(outcomes.map((o) => o.result)).toEqual(['match']);
  });

  it('counts an error when the other side fails or answers 5xx, never a mismatch', async () => {
    const { shadow, outcomes, kept } = setup();
    shadow.compare(served(async () => json(503, { error: 'down' })));
    shadow.compare(
      served(async () => {
        throw new Error('connection refused');
      }),
    );
    await settle();
    expect(outcomes.map((o) => o.result)).toEqual(['error', 'error']);
    expect(kept).toEqual([]);
  });

  it('gives a hanging shadow call up at its own deadline, as an error', async () => {
    useFakeClock();
    const { shadow, outcomes } = setup();
    shadow.compare(served(() => new Promise<BackendResponse>(() => undefined)));

    await jest.advanceTimersByTimeAsync(1_999);
    expect(outcomes).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);

    expect(outcomes.map((o) => o.result)).toEqual(['error']);
  });

  it('skips requests beyond the in-flight cap, and answers over 1 MiB', async () => {
    const { shadow, outcomes } = setup({ maxInFlight: 1 });
    let release: (response: BackendResponse) => void = () => undefined;
    const pending = new Promise<BackendResponse>((resolve) => (release = resolve));
    shadow.compare(served(() => pending));
    shadow.compare(served(async () => json(200, {})));
    shadow.compare(
      served(async () => json(200, {}), {
        status: 200,
        headers: {},
        body: Buffer.alloc(MAX_SHADOW_BODY_BYTES + 1),
      }),
    );
    expect(outcomes.map((o) => o.result)).toEqual(['skipped', 'skipped']);

    release(json(200, { id: 1, title: 'Alien' }));
    await settle();
    expect(outcomes.map((o) => o.result)).toEqual(['skipped', 'skipped', 'match']);
    expect(await isSettled(pending)).toBe(true);
  });

  it('logs a mismatch it could not keep, and goes on', async () => {
    const { logger, lines } = createMemoryLogger({ level: 'warn' });
    const shadow = createRestShadow({
      migration: 'movies',
      settings: () => ({ shadowPercent: 100, noisePercent: 0, ignorePaths: [] }),
      figures: { shadow: () => undefined },
      noise: memoryNoise(),
      mismatches: {
        record: async () => {
          throw new Error('database down');
        },
      },
      logger,
      maxInFlight: 1,
      timeoutMs: 2_000,
    });
    shadow.compare(served(async () => json(200, { id: 2 })));
    await settle();
    await settle();
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'could not keep a mismatch' }));
  });

  it('learns a path on which the serving side disagrees with itself as noise, per route', async () => {
    const { shadow, outcomes, kept, noise } = setup({ noisePercent: 100 });
    let views = 0;
    const answer = () => json(200, { items: [{ id: 1, views: (views += 1) }] });
    const first = answer();
    shadow.compare(
      served(
        async () => answer(),
        first,
        async () => answer(),
      ),
    );
    await settle();
    await settle();

    expect(noise.marks.get('movies GET /api/movies')).toEqual(new Set(['/items/*/views']));
    expect(outcomes.map((o) => o.result)).toEqual(['noise']);
    expect(kept).toEqual([]);
  });

  it('still keeps a mismatch beyond the noise, without the noisy paths', async () => {
    const { shadow, outcomes, kept, noise } = setup();
    noise.learn('movies', 'GET /api/movies', ['/views']);
    shadow.compare(
      served(
        async () => json(200, { id: 1, title: 'Alien³', views: 9 }),
        json(200, {
          id: 1,
          title: 'Alien',
          views: 3,
        }),
      ),
    );
    await settle();
    expect(outcomes.map((o) => o.result)).toEqual(['mismatch']);
    expect(kept[0]?.differences).toEqual([
      { path: '/title', served: '"Alien"', shadow: '"Alien³"' },
    ]);
  });

  it('asks the serving side again only for the noise share, and learns nothing from a failed repeat', async () => {
    const repeats: string[] = [];
    const none = setup({ noisePercent: 50 }); // random() * 100 = 50: not below 50
    none.shadow.compare(
      served(
        async () => json(200, { id: 1, title: 'Alien' }),
        undefined,
        async () => {
          repeats.push('asked');
          return json(200, {});
        },
      ),
    );
    const failing = setup({ noisePercent: 100 });
    failing.shadow.compare(
      served(
        async () => json(200, { id: 1, title: 'Alien' }),
        undefined,
        async () => {
          repeats.push('failed');
          return json(503, { error: 'down' });
        },
      ),
    );
    await settle();
    await settle();
    expect(repeats).toEqual(['failed']);
    expect(failing.noise.marks.size).toBe(0);
    expect(failing.outcomes.map((o) => o.result)).toEqual(['match']);
  });
});
