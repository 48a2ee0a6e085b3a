import { createHttpApp } from '@cinemaabyss/shared/http';
import { createSilentLogger } from '@cinemaabyss/shared/logging';
import type { FastifyInstance } from 'fastify';
import { buildSchema, graphql } from 'graphql';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../../test/chromium';
import {
  DEFAULT_EXAMPLE_HEADERS,
  DEFAULT_EXAMPLE_QUERY,
  registerPlayground,
} from './registerPlayground';

const schema = buildSchema(`
  type Movie { title: String! genres: [String!]! averageRating: Float }
  type Payment { amount: Float! }
  type User { username: String! payments: [Payment!]! }
  type Query { movies(limit: Int): [Movie!]! users: [User!]! }
`);
const MOVIES = [
  { title: 'The Shawshank Redemption', genres: ['Drama'], averageRating: 4.8 },
  { title: 'Spirited Away', genres: ['Animation', 'Fantasy'], averageRating: 4.7 },
  { title: 'Alien', genres: ['Horror', 'Sci-Fi'], averageRating: null },
];
const rootValue = {
  movies: ({ limit }: { limit?: number }) => MOVIES.slice(0, limit ?? MOVIES.length),
  users: () => [
    { username: 'ripley', payments: [{ amount: 9.99 }, { amount: 12.5 }] },
    { username: 'chihiro', payments: [] },
  ],
};

interface GraphQLBody {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

/** The playground in front of a real (small) GraphQL endpoint, as the gateway will mount it. */
async function startApp(received: GraphQLBody[]): Promise<{ app: FastifyInstance; url: string }> {
  const app = createHttpApp({ logger: createSilentLogger() });
  await registerPlayground(app, { endpoint: '/graphql', exampleQuery: DEFAULT_EXAMPLE_QUERY });
  app.post<{ Body: GraphQLBody }>('/graphql', async (request) => {
    received.push(request.body);
    return graphql({
      schema,
      rootValue,
      source: request.body.query,
      variableValues: request.body.variables,
      operationName: request.body.operationName,
    });
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url };
}

/** CodeMirror 5 keeps the whole document behind its wrapper element, rendered lines or not. */
function editorValue(page: Page, selector: string): Promise<unknown> {
  return page.evaluate(
    `document.querySelector(${JSON.stringify(`${selector} .CodeMirror`)}).CodeMirror.getValue()`,
  );
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('the GraphQL playground in a real browser', () => {
  const received: GraphQLBody[] = [];
  let app: FastifyInstance;
  let url: string;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const requested: string[] = [];

  beforeAll(async () => {
    ({ app, url } = await startApp(received));
    browser = await launchChromium("the playground's browser test");
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });
  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    // CSP violations and script errors show up as console errors.
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('request', (request) => requested.push(request.url()));
    problems.length = 0;
    requested.length = 0;
    received.length = 0;
  });
  afterEach(async () => {
    await page.close();
  });

  it('opens GraphiQL on /graphql with the example query and shows its result after Run', async () => {
    const response = await page.goto(`${url}/graphql`);
    await page.locator('.graphiql-query-editor .CodeMirror').waitFor();

    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self';");
    expect(await editorValue(page, '.graphiql-query-editor')).toBe(DEFAULT_EXAMPLE_QUERY);
    // The headers pane is open and says how to ask as a signed-in caller.
    const headersPane = page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden)');
    await headersPane.locator('.CodeMirror-line', { hasText: 'npm run -s token' }).waitFor();
    expect(
      await page.evaluate(
        `document.querySelector('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror').CodeMirror.getValue()`,
      ),
    ).toBe(DEFAULT_EXAMPLE_HEADERS);

    await page.locator('.graphiql-execute-button').click();
    await page.locator('.graphiql-response .CodeMirror-line', { hasText: 'chihiro' }).waitFor();

    const shown = JSON.parse(String(await editorValue(page, '.graphiql-response')));
    expect(shown).toEqual({
      data: {
        movies: MOVIES,
        users: [
          { username: 'ripley', payments: [{ amount: 9.99 }, { amount: 12.5 }] },
          { username: 'chihiro', payments: [] },
        ],
      },
    });
    expect(received.map((body) => squash(body.query))).toContain(squash(DEFAULT_EXAMPLE_QUERY));
    expect(requested.filter((address) => !address.startsWith(`${url}/`))).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('runs a query typed into the editor', async () => {
    await page.goto(`${url}/graphql`);
    const editor = page.locator('.graphiql-query-editor .CodeMirror');
    await editor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    // CodeMirror closes brackets as they open; typing the closers steps over them.
    await page.keyboard.type('{ movies(limit: 1) { title } }');
    await page.keyboard.press('Escape');

    expect(squash(String(await editorValue(page, '.graphiql-query-editor')))).toBe(
      '{ movies(limit: 1) { title } }',
    );
    await page.locator('.graphiql-execute-button').click();
    await page.locator('.graphiql-response .CodeMirror-line', { hasText: 'Shawshank' }).waitFor();

    expect(JSON.parse(String(await editorValue(page, '.graphiql-response')))).toEqual({
      data: { movies: [{ title: 'The Shawshank Redemption' }] },
    });
    expect(problems).toEqual([]);
  });

  it('reads the schema for its docs, and its dialogs work under the CSP', async () => {
    await page.goto(`${url}/graphql`);

    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Open settings dialog' }).click();
    await page.getByRole('dialog').getByText('Theme').waitFor();

    // The dialog's scroll lock inserts a <style>: allowed by the nonce, so nothing is refused.
    expect(problems).toEqual([]);
    expect(received.some((body) => body.query.includes('__schema'))).toBe(true);
  });
});
