/** The sign-in form: the admin token goes to sessionStorage, never into a URL. */
import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';

export const REFUSED_MESSAGE = 'The admin token was refused.';

export function SignIn({
  refused,
  onSignIn,
}: {
  /** The last token was refused by the API. */
  refused: boolean;
  onSignIn(token: string): void;
}) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [token, setToken] = useState('');
  const [empty, setEmpty] = useState(false);
  useEffect(() => input.current?.focus(), []);

  const onSubmit = (event: FormEvent) => {
    // The form is never sent: the token must not end up in a URL or a request body.
    event.preventDefault();
    const value = token.trim();
    if (!value) {
      setEmpty(true);
      input.current?.focus();
      return;
    }
    onSignIn(value);
  };

  return (
    <main className="sign-in">
      <h1>Migration status</h1>
      <form aria-label="Sign in" onSubmit={onSubmit} noValidate>
        <h2>Sign in</h2>
        {refused && !empty && (
          <p role="alert" className="alert">
            {REFUSED_MESSAGE}
          </p>
        )}
        {empty && (
          <p role="alert" className="alert">
            Enter the admin token.
          </p>
        )}
        <div className="field">
          <label htmlFor={id}>Admin token</label>
          {/* No name attribute: the token is never part of a form submission. */}
          <input
            id={id}
            ref={input}
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={token}
            onChange={(event) => {
              setToken(event.target.value);
              setEmpty(false);
            }}
          />
        </div>
        <p className="hint">
          The token stays in this tab only (session storage) and is sent in the Authorization
          header.
        </p>
        <button type="submit" className="primary">
          Sign in
        </button>
      </form>
    </main>
  );
}
