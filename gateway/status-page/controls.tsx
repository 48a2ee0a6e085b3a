/**
 * The operator's controls of one migration: set the new side's share (after an in-page
 * confirmation), set the shadow share, start a rollout and pause, resume or abort it. Each
 * write goes through `run`, which checks the actor, shows the API's error and refreshes.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent, KeyboardEvent } from 'react';
import type { RolloutCommand, RolloutRequest, RolloutState, StatusPageApi } from './api';
import { percent } from './format';

/** Runs one write; true when it succeeded. */
export type Run = (action: () => Promise<unknown>, done: string) => Promise<boolean>;

export interface ControlProps {
  name: string;
  api: StatusPageApi;
  run: Run;
  /** Shows a problem found before anything was sent. */
  fail(message: string): void;
  /** False (and says why) when no actor is set. */
  checkActor(): boolean;
  busy: boolean;
}

/** A whole percentage 0–100, or null. */
function parseShare(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,3}$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return value <= 100 ? value : null;
}

function ConfirmPercent({
  from,
  to,
  onConfirm,
  onCancel,
}: {
  from: number;
  to: number;
  onConfirm(): void;
  onCancel(): void;
}) {
  const confirm = useRef<HTMLButtonElement>(null);
  const textId = useId();
  useEffect(() => confirm.current?.focus(), []);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onCancel();
    }
  };
  return (
    <div
      className="confirm"
      role="dialog"
      aria-label="Confirm percent change"
      aria-describedby={textId}
      onKeyDown={onKeyDown}
    >
      <p id={textId}>
        Move {percent(Math.abs(to - from))} of users from {percent(from)} to {percent(to)} on the
        new side?
      </p>
      <div className="buttons">
        <button type="button" ref={confirm} className="primary" onClick={onConfirm}>
          Confirm
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

export function PercentControl({
  name,
  api,
  run,
  fail,
  checkActor,
  busy,
  current,
}: ControlProps & { current: number }) {
  const id = useId();
  const [value, setValue] = useState('');
  const [pending, setPending] = useState<{ from: number; to: number } | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const restoreFocus = useRef(false);
  // Back to the field once the dialog is gone (Apply may be disabled by then).
  useEffect(() => {
    if (pending === null && restoreFocus.current) {
      restoreFocus.current = false;
      input.current?.focus();
    }
  }, [pending]);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const to = parseShare(value);
    if (to === null) return fail('New side percent must be a whole number from 0 to 100.');
    if (checkActor()) setPending({ from: current, to });
  };
  const close = () => {
    restoreFocus.current = true;
    setPending(null);
  };
  const onConfirm = () => {
    if (!pending) return;
    const { to } = pending;
    close();
    void run(() => api.setPercent(name, to), `The new side now serves ${percent(to)}.`);
  };

  return (
    <form className="control" aria-label="Set percent" onSubmit={onSubmit} noValidate>
      <h4>Set percent</h4>
      <div className="field-row">
        <label htmlFor={id}>New side percent</label>
        <input
          id={id}
          ref={input}
          type="number"
          inputMode="numeric"
          min={0}
          max={100}
          step={1}
          placeholder={String(current)}
          value={value}
          onChange={(event) => setValue(event.target.value)}
        />
        <button type="submit" disabled={busy || pending !== null}>
          Apply
        </button>
      </div>
      {pending && <ConfirmPercent {...pending} onConfirm={onConfirm} onCancel={close} />}
    </form>
  );
}

export function ShadowControl({
  name,
  api,
  run,
  fail,
  checkActor,
  busy,
  current,
}: ControlProps & { current: number }) {
  const id = useId();
  const [value, setValue] = useState('');
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const share = parseShare(value);
    if (share === null) return fail('Shadow percent must be a whole number from 0 to 100.');
    if (!checkActor()) return;
    void run(
      () => api.setShadowPercent(name, share),
      `${percent(share)} of requests are now shadowed.`,
    );
  };
  return (
    <form className="control" aria-label="Set shadow share" onSubmit={onSubmit} noValidate>
      <h4>Set shadow share</h4>
      <div className="field-row">
        <label htmlFor={id}>Shadow percent</label>
        <input
          id={id}
          type="number"
          inputMode="numeric"
          min={0}
          max={100}
          step={1}
          placeholder={String(current)}
          value={value}
          onChange={(event) => setValue(event.target.value)}
        />
        <button type="submit" disabled={busy}>
          Set shadow
        </button>
      </div>
    </form>
  );
}

type PlanField = Exclude<keyof RolloutRequest, 'steps'>;

const PLAN_FIELDS: readonly { key: PlanField; label: string; step: string }[] = [
  { key: 'stepSeconds', label: 'Step seconds', step: '1' },
  { key: 'minRequests', label: 'Min requests', step: '1' },
  { key: 'maxErrorRate', label: 'Max error rate', step: 'any' },
  { key: 'maxLatencyRatio', label: 'Max latency ratio', step: 'any' },
  { key: 'maxMismatchRate', label: 'Max mismatch rate', step: 'any' },
  { key: 'maxExtensions', label: 'Max extensions', step: '1' },
  { key: 'rollbackTo', label: 'Rollback to (%)', step: '1' },
];

const PLAN_DEFAULTS: Record<'steps' | PlanField, string> = {
  steps: '5,25,50,100',
  stepSeconds: '300',
  minRequests: '200',
  maxErrorRate: '0.01',
  maxLatencyRatio: '1.5',
  maxMismatchRate: '0.001',
  maxExtensions: '3',
  rollbackTo: '',
};

/** The request the form asks for, or what is wrong with it. */
function planOf(form: Record<'steps' | PlanField, string>): RolloutRequest | string {
  const parts = form.steps.split(/[\s,;]+/).filter(Boolean);
  if (parts.length === 0 || !parts.every((part) => /^\d+$/.test(part))) {
    return 'Steps (%) must be whole percentages separated by commas, such as 5,25,50,100.';
  }
  const plan: RolloutRequest = { steps: parts.map(Number) };
  for (const { key, label } of PLAN_FIELDS) {
    const text = form[key].trim();
    // Empty: the API's default (for rollbackTo, the current percentage).
    if (!text) continue;
    const value = Number(text);
    if (!Number.isFinite(value)) return `${label} must be a number.`;
    plan[key] = value;
  }
  return plan;
}

export function RolloutForm({ name, api, run, fail, checkActor, busy }: ControlProps) {
  const id = useId();
  const [form, setForm] = useState(PLAN_DEFAULTS);
  const set = (key: keyof typeof PLAN_DEFAULTS) => (event: { target: { value: string } }) =>
    setForm((previous) => ({ ...previous, [key]: event.target.value }));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const plan = planOf(form);
    if (typeof plan === 'string') return fail(plan);
    if (!checkActor()) return;
    void run(() => api.startRollout(name, plan), 'The rollout has started.');
  };

  return (
    <form
      className="control rollout-form"
      aria-label="Start a rollout"
      onSubmit={onSubmit}
      noValidate
    >
      <h4>Start a rollout</h4>
      <div className="plan-fields">
        <div className="field">
          <label htmlFor={`${id}-steps`}>Steps (%)</label>
          <input
            id={`${id}-steps`}
            type="text"
            inputMode="numeric"
            value={form.steps}
            onChange={set('steps')}
          />
        </div>
        {PLAN_FIELDS.map(({ key, label, step }) => (
          <div className="field" key={key}>
            <label htmlFor={`${id}-${key}`}>{label}</label>
            <input
              id={`${id}-${key}`}
              type="number"
              step={step}
              min={0}
              placeholder={key === 'rollbackTo' ? 'current' : undefined}
              value={form[key]}
              onChange={set(key)}
            />
          </div>
        ))}
      </div>
      <p className="hint">Rollback to (%) left empty: the current percentage.</p>
      <button type="submit" className="primary" disabled={busy}>
        Start rollout
      </button>
    </form>
  );
}

const COMMANDS: readonly {
  command: RolloutCommand;
  label: string;
  done: string;
  allowed: readonly RolloutState[];
}[] = [
  { command: 'pause', label: 'Pause', done: 'The rollout is paused.', allowed: ['running'] },
  { command: 'resume', label: 'Resume', done: 'The rollout goes on.', allowed: ['paused'] },
  {
    command: 'abort',
    label: 'Abort',
    done: 'The rollout was aborted.',
    allowed: ['running', 'paused'],
  },
];

/** Pause, Resume, Abort: each enabled only in the rollout states it applies to. */
export function RolloutButtons({
  name,
  api,
  run,
  busy,
  state,
}: Pick<ControlProps, 'name' | 'api' | 'run' | 'busy'> & { state: RolloutState | undefined }) {
  return (
    <div className="buttons rollout-buttons" role="group" aria-label="Rollout commands">
      {COMMANDS.map(({ command, label, done, allowed }) => (
        <button
          key={command}
          type="button"
          className={command === 'abort' ? 'danger' : undefined}
          disabled={busy || !state || !allowed.includes(state)}
          onClick={() => void run(() => api.rolloutCommand(name, command), done)}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
