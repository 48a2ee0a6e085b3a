import { sendJson } from '@cinemaabyss/shared/testing';
import { startEventsService } from './testing';
it('timing', async () => {
  const t0 = Date.now();
  const s = await startEventsService();
  const t1 = Date.now();
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const a = Date.now();
    const r = await sendJson(`${s.url}/api/events/movie`, { method: 'POST', body: { movie_id: 1, title: 't', action: 'x' } });
    expect(r.status).toBe(201);
    times.push(Date.now() - a);
  }
  const t2 = Date.now();
  await s.stop();
  throw new Error(JSON.stringify({ start: t1 - t0, times, stop: Date.now() - t2 }));
});
