/** Messages between the bench and the servers it runs in child processes (over fork's IPC). */

export type ParentMessage =
  | { type: 'stats' }
  | { type: 'stop' }
  /** Starts a CPU profile of this window only (the inspector's, beside any --cpu-prof). */
  | { type: 'profile-start' }
  /** Stops it and writes it, as a `.cpuprofile`, to `file`. */
  | { type: 'profile-stop'; file: string };

export interface ChildStats {
  /** Peak resident set size of the child over its whole life (getrusage ru_maxrss), KiB. */
  maxRssKiB: number;
  /** Resident set size now, KiB. */
  rssKiB: number;
  /** User + system CPU time the child has used so far, ms. */
  cpuMs: number;
  /** The JavaScript heap in use now (reachable or not yet collected), KiB. */
  heapUsedKiB: number;
}

export type ChildMessage =
  | { type: 'ready'; url: string; info: Record<string, string> }
  | ({ type: 'stats' } & ChildStats)
  | { type: 'profile-started' }
  | { type: 'profile-written'; file: string }
  | { type: 'failed'; error: string };

/** What a child entry point starts: a server with a URL and a way to stop it. */
export interface ChildServer {
  url: string;
  /** Anything else the parent needs, e.g. a second URL. */
  info?: Record<string, string>;
  stop(): Promise<void>;
}

export function currentStats(): ChildStats {
  const usage = process.resourceUsage();
  return {
    maxRssKiB: usage.maxRSS,
    rssKiB: Math.round(process.memoryUsage.rss() / 1024),
    cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    heapUsedKiB: Math.round(process.memoryUsage().heapUsed / 1024),
  };
}
