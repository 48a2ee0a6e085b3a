/**
 * Browser entry of the gateway's GraphQL playground, bundled by esbuild at gateway start-up
 * (see `gateway/src/playground/buildPlaygroundBundle.ts`). The page's CSP forbids inline
 * scripts, so all configuration arrives as data attributes on the mount element.
 */
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import type { Fetcher } from '@graphiql/toolkit';
import { getOperationAST, parse } from 'graphql';
import { createClient } from 'graphql-ws';
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
  const url = new URL(endpoint, window.location.href);
  const subscriptionUrl = new URL(url);
  subscriptionUrl.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const overHttp = createGraphiQLFetcher({ url: url.toString() });
  // Subscriptions go over graphql-ws on the same path, a connection each; the headers pane's
  // values (a bearer token) travel in its init payload, as browsers set no WebSocket headers.
  const fetcher: Fetcher = (params, options) => {
    let operation: string | undefined;
    try {
      operation = getOperationAST(parse(params.query), params.operationName)?.operation;
    } catch {
      // Not parsable: the gateway answers with the syntax error.
    }
    if (operation !== 'subscription') return overHttp(params, options);
    const client = createClient({
      url: subscriptionUrl.toString(),
      connectionParams: { ...options?.headers },
    });
    // graphql-ws yields formatted results: what GraphiQL shows, typed as its own.
    return client.iterate(params) as AsyncIterable<never>;
  };
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
