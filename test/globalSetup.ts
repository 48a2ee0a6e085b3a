import { dropDatabase, withDatabaseName } from '@cinemaabyss/shared/db';
import { ensureKafka } from '@cinemaabyss/local-infra';
import { ensureAllWebAssets } from '@cinemaabyss/web-build';
import { TEMPLATE_DB_ENV, TEST_SERVER_ENV } from '@cinemaabyss/shared/testing';
import { prepareGatewayDatabase } from '@cinemaabyss/gateway/database';
import { prepareDatabase } from '@cinemaabyss/legacy-monolith/database';
import { DEFAULT_DB_CONNECTION_STRING } from '@cinemaabyss/legacy-monolith/config';
import { testRun } from './testRun';

/**
 * Once per jest run: the playground's bundle when missing or stale, a real Kafka broker (KAFKA_BROKERS or a local one on free ports) and a
 * migrated, seeded template database (the monolith's schema and the gateway's) that each test
 * file clones. Workers inherit the env.
 */
export default async function globalSetup(): Promise<void> {
  // The gateway serves its pages (playground, status page) from its build output; a fresh
  // clone has none yet.
  await ensureAllWebAssets();
  const server = process.env.DB_CONNECTION_STRING ?? DEFAULT_DB_CONNECTION_STRING;
  const template = `cinemaabyss_test_${Date.now().toString(36)}_${process.pid}_tpl`;
  const templateUrl = withDatabaseName(server, template);
  await dropDatabase(templateUrl);
  await prepareDatabase(templateUrl);
  await prepareGatewayDatabase(templateUrl);
  process.env[TEST_SERVER_ENV] = server;
  process.env[TEMPLATE_DB_ENV] = template;
  testRun.templateUrl = templateUrl;

  const kafka = await ensureKafka({ port: 0 });
  process.env.KAFKA_BROKERS = kafka.brokers.join(',');
  testRun.kafka = kafka;
}
