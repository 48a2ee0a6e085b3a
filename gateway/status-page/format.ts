/** How the status page writes times, shares and figures. */

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-12-07 00:10:03 UTC`; the text as given when it is no date. */
export function utcTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** HH:MM:SS on the browser's clock. */
export function clockTime(date: Date): string {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** A dial share: `25 %`. */
export const percent = (value: number) => `${value} %`;

/** A rate of 0–1 as a percentage, finer below 1 %; `—` when there was nothing to divide. */
export function rate(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const pct = value * 100;
  if (pct === 0) return '0 %';
  return `${pct.toFixed(pct < 1 ? 2 : 1)} %`;
}

export function milliseconds(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return `${value.toFixed(value < 10 ? 1 : 0)} ms`;
}

export const count = (value: number) => value.toLocaleString('en');
