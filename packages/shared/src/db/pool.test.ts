import { createPool, injectedOrOwnPool } from './pool';

// No statement runs here: pg connects lazily, so these pools never open a connection.
const options = { connectionString: 'postgres://nobody@127.0.0.1:1/none', applicationName: 'test' };

describe('injectedOrOwnPool', () => {
  it('uses an injected pool and leaves it open on release: it is the caller’s to end', async () => {
    const injected = createPool(options);
    try {
      const { pool, release } = injectedOrOwnPool(injected, options);
      expect(pool).toBe(injected);
      await release();
      expect(injected.ended).toBe(false);
    } finally {
      await injected.end();
    }
  });

  it('creates a pool when none is injected and ends it on release', async () => {
    const { pool, release } = injectedOrOwnPool(undefined, options);
    expect(pool.ended).toBe(false);
    await release();
    expect(pool.ended).toBe(true);
  });
});
