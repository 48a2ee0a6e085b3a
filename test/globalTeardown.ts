import { dropDatabase } from '@cinemaabyss/shared/db';
import { testRun } from './testRun';

export default async function globalTeardown(): Promise<void> {
  await testRun.kafka?.stop();
  if (testRun.templateUrl) await dropDatabase(testRun.templateUrl);
}
