/**
 * Browser entry of the gateway's migration status page (/admin). The page's CSP forbids inline
 * scripts and styles, so the one setting, the admin API's base path, arrives as the `data-api`
 * attribute of the mount element; the admin token is asked for and kept in sessionStorage.
 */
import { useCallback, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { createApi, session } from './api';
import { Dashboard } from './dashboard';
import { SignIn } from './signIn';
import './statusPage.css';

const MOUNT_ID = 'status-page';

function StatusPage({ apiBase }: { apiBase: string }) {
  const api = useMemo(() => createApi(apiBase), [apiBase]);
  const [signedIn, setSignedIn] = useState(() => session.token() !== '');
  const [refused, setRefused] = useState(false);

  const onRefused = useCallback(() => {
    session.clearToken();
    setRefused(true);
    setSignedIn(false);
  }, []);
  const onSignOut = useCallback(() => {
    session.clearToken();
    setRefused(false);
    setSignedIn(false);
  }, []);
  const onSignIn = useCallback((token: string) => {
    session.setToken(token);
    setRefused(false);
    setSignedIn(true);
  }, []);

  return signedIn ? (
    <Dashboard api={api} onRefused={onRefused} onSignOut={onSignOut} />
  ) : (
    <SignIn refused={refused} onSignIn={onSignIn} />
  );
}

function start(): void {
  const mount = document.getElementById(MOUNT_ID);
  if (!mount) throw new Error(`the status page has no #${MOUNT_ID} element`);
  const apiBase = mount.dataset.api;
  if (!apiBase) throw new Error(`#${MOUNT_ID} has no data-api attribute`);
  createRoot(mount).render(<StatusPage apiBase={apiBase} />);
}

start();
