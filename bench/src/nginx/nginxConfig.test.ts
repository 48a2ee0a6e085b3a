import { nginxConfig } from './nginxConfig';
import type { NginxShimOptions } from './nginxConfig';

const options: NginxShimOptions = {
  port: 18080,
  backends: {
    movies: 'http://127.0.0.1:18081',
    monolith: 'http://127.0.0.1:18082',
    events: 'http://127.0.0.1:18083',
  },
  moviesPercent: 100,
  timeoutMs: 5_000,
  prefixDir: '/tmp/bench-nginx',
};

/** The body of one block, e.g. `upstream movies_first`, up to its closing brace. */
function block(config: string, head: string): string {
  const start = config.indexOf(`${head} {`);
  if (start < 0) throw new Error(`no ${head} block in\n${config}`);
  return config.slice(start, config.indexOf('}', start) + 1);
}

describe('nginxConfig', () => {
  it('splits users on X-User-Id at the dial percentage', () => {
    const split = (moviesPercent: number) =>
      block(
        nginxConfig({ ...options, moviesPercent }),
        'split_clients "$http_x_user_id" $movies_route',
      );
    expect(split(37.5)).toContain('37.5% movies_first;');
    expect(split(37.5)).toContain('* monolith;');
    expect(split(100)).toContain('* movies_first;');
    expect(split(100)).not.toContain('monolith');
    expect(split(0)).toContain('* monolith;');
    expect(split(0)).not.toContain('movies_first');
    expect(split(12.345)).toContain('12.35% movies_first;');
  });

  it('falls back from the movies service to the monolith on a failed GET only', () => {
    const config = nginxConfig(options);
    const first = block(config, 'upstream movies_first');
    expect(first).toContain('server 127.0.0.1:18081 max_fails=0;');
    expect(first).toContain('server 127.0.0.1:18082 backup;');
    const movies = block(config, 'location = /api/movies');
    expect(movies).toContain('proxy_pass http://$movies_route;');
    expect(movies).toContain(
      'proxy_next_upstream error timeout http_500 http_502 http_503 http_504;',
    );
    // nginx retries a POST only when told `non_idempotent`: the shim never does.
    expect(movies).not.toContain('non_idempotent');
  });

  it('keeps upstream connections alive', () => {
    const config = nginxConfig({ ...options, keepalive: 16 });
    for (const name of ['movies_first', 'monolith', 'events']) {
      expect(block(config, `upstream ${name}`)).toContain('keepalive 16;');
    }
    const locations = config
      .split('location ')
      .slice(1)
      .filter((l) => l.includes('proxy_pass'));
    expect(locations).toHaveLength(3);
    for (const location of locations) {
      expect(location).toContain('proxy_http_version 1.1;');
      expect(location).toContain('proxy_set_header Connection "";');
    }
  });

  it("routes the rest of /api like the shim and bounds every call by the shim's deadline", () => {
    const config = nginxConfig({ ...options, timeoutMs: 2_500 });
    expect(block(config, 'location ~ ^/api/(users|payments|subscriptions)(/|$)')).toContain(
      'proxy_pass http://monolith;',
    );
    expect(block(config, 'location /api/events/')).toContain('proxy_pass http://events;');
    for (const timeout of ['proxy_connect_timeout', 'proxy_send_timeout', 'proxy_read_timeout']) {
      expect(config).toContain(`${timeout} 3s;`);
    }
    expect(config).toContain('listen 127.0.0.1:18080;');
  });

  it('keeps every file nginx writes under its prefix', () => {
    const config = nginxConfig(options);
    const paths = config.match(/(?:^|\s)(\/[\w./-]+);/gm) ?? [];
    // The pid file and the five temp folders; the error log has its level after the path.
    expect(paths).toHaveLength(6);
    expect(config).toContain('error_log /tmp/bench-nginx/error.log warn;');
    for (const p of paths) expect(p.trim()).toMatch(/^\/tmp\/bench-nginx\//);
  });

  it('refuses a percentage outside 0–100 and an upstream that is not a plain origin', () => {
    expect(() => nginxConfig({ ...options, moviesPercent: 101 })).toThrow(/0–100/);
    expect(() => nginxConfig({ ...options, moviesPercent: Number.NaN })).toThrow(/0–100/);
    expect(() =>
      nginxConfig({ ...options, backends: { ...options.backends, movies: 'http://h:1/api' } }),
    ).toThrow(/plain http origin/);
  });
});
