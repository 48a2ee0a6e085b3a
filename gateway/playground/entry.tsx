/**
 * Browser entry of the gateway's GraphQL playground, bundled by esbuild at gateway start-up
 * (see `gateway/src/playground/buildPlaygroundBundle.ts`). The page's CSP forbids inline
 * scripts, so all configuration arrives as data attributes on the mount element.
 */
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { setNonce } from 'get-nonce';
import { GraphiQL } from 'graphiql';
import { createRoot } from 'react-dom/client';
import 'graphiql/style.css';
import './playground.css';

const MOUNT_ID = 'graphiql';

function start(): void {
  const mount = document.getElementById(MOUNT_ID);
  if (!mount) throw new Error(`the playground page has no #${MOUNT_ID} element`);
  const endpoint = mount.dataset.endpoint ?? '/graphql';
  const exampleQuery = mount.dataset.exampleQuery ?? '';
  const exampleHeaders = mount.dataset.exampleHeaders ?? '';
  // GraphiQL's dialogs insert a <style> through react-style-singleton, which reads this.
  if (mount.dataset.styleNonce) setNonce(mount.dataset.styleNonce);
  const fetcher = createGraphiQLFetcher({
    url: new URL(endpoint, window.location.href).toString(),
  });
  // defaultQuery and defaultHeaders fill a first visit (the headers pane open, to show how to
  // sign in); later visits restore the user's tabs from localStorage.
  createRoot(mount).render(
    <GraphiQL
      fetcher={fetcher}
      defaultQuery={exampleQuery}
      defaultHeaders={exampleHeaders}
      defaultEditorToolsVisibility="headers"
    />,
  );
}

start();
