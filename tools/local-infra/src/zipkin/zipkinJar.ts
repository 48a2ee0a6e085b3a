import path from 'node:path';
import type { Logger } from '@cinemaabyss/shared/logging';
import { fillCacheDirOnce, isFilled } from '../jvm/cachedDownload';
import { runMaven } from '../jvm/maven';
import { ZipkinLauncherError } from './errors';

/** The official server, self-contained (classifier `exec`); runs on Java 17. */
export const DEFAULT_ZIPKIN_VERSION = '3.5.1';

export interface FetchZipkinJarOptions {
  cacheDir: string;
  zipkinVersion: string;
  /** Absolute path of `mvn`. */
  mvn: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
}

/** Returns the path of `io.zipkin:zipkin-server:<version>:jar:exec` in the cache, downloading it the first time. */
export async function fetchZipkinJar(options: FetchZipkinJarOptions): Promise<string> {
  const { cacheDir, zipkinVersion, mvn, env, logger } = options;
  const dir = path.join(cacheDir, `zipkin-${zipkinVersion}`);
  const jar = path.join(dir, `zipkin-server-${zipkinVersion}-exec.jar`);
  if (isFilled(dir)) return jar;
  const artifact = `io.zipkin:zipkin-server:${zipkinVersion}:jar:exec`;
  logger.info({ artifact, dir }, 'downloading the Zipkin server with Maven (first run only)');
  const startedAt = Date.now();
  await fillCacheDirOnce({
    dir,
    stamp: `${artifact} fetched ${new Date().toISOString()}`,
    fill: async (outputDir) => {
      try {
        await runMaven(
          mvn,
          ['dependency:copy', `-Dartifact=${artifact}`, `-DoutputDirectory=${outputDir}`],
          env,
        );
      } catch (error) {
        throw new ZipkinLauncherError(
          `Maven could not fetch ${artifact} (is the version right and Maven Central reachable?):\n${(error as Error).message}`,
          { cause: error },
        );
      }
    },
  });
  logger.info({ zipkinVersion, ms: Date.now() - startedAt }, 'Zipkin server jar ready');
  return jar;
}
