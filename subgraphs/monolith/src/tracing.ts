import path from 'node:path';
import { startServiceTracing } from '@cinemaabyss/shared/tracing';

/** Imported first by index.ts: the instrumentations must patch http, pg and fastify as they load. */
startServiceTracing('monolith-subgraph', path.join(__dirname, '..'));
