import { describeMoviesRestContract } from '@cinemaabyss/shared/testing';
import { startMonolith } from './testing/startMonolith';

describeMoviesRestContract('legacy monolith', async () => {
  const monolith = await startMonolith();
  return { url: monolith.url, pool: monolith.db.pool, stop: monolith.stop };
});
