import type { LocalKafka } from '@cinemaabyss/local-infra';

/** What globalSetup started, kept for globalTeardown (both run in jest's parent process). */
export const testRun: { kafka?: LocalKafka; templateUrl?: string } =
  (globalThis as never)['__cinemaabyssTestRun'] ??
  ((globalThis as Record<string, unknown>).__cinemaabyssTestRun = {});
