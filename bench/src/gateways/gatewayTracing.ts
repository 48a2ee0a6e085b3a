import path from 'node:path';
import { startServiceTracing } from '@cinemaabyss/shared/tracing';

/** The gateway's own tracing setup; the bench's children run with OTEL_SDK_DISABLED unless told otherwise. */
export const tracing = startServiceTracing('gateway', path.resolve(__dirname, '../../../gateway'));
