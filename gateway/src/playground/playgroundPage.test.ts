import { escapeHtml, playgroundCsp, renderPlaygroundPage } from './playgroundPage';

describe('renderPlaygroundPage', () => {
  const page = renderPlaygroundPage({
    endpoint: '/graphql',
    exampleQuery: '{ movies(title: "<script>alert(1)</script>") { title } }',
    exampleHeaders: '{"x-hint": "<b>"}',
    scriptUrl: '/graphql/playground/graphiql.js?v=abc',
    stylesheetUrl: '/graphql/playground/graphiql.css?v=abc',
    styleNonce: 'bm9uY2U=',
  });

  it('has no inline script: every script element loads a file', () => {
    const scripts = page.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts).toEqual(['<script defer src="/graphql/playground/graphiql.js?v=abc">']);
    expect(page).toMatch(/<script defer src="[^"]+"><\/script>/);
  });

  it('passes the settings as escaped data attributes', () => {
    expect(page).toContain('data-endpoint="/graphql"');
    expect(page).toContain('data-style-nonce="bm9uY2U="');
    expect(page).toContain('data-example-headers="{&quot;x-hint&quot;: &quot;&lt;b&gt;&quot;}"');
    expect(page).toContain(
      'data-example-query="{ movies(title: &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;) { title } }"',
    );
    expect(page).not.toContain('<script>alert');
  });

  it('links the stylesheet', () => {
    expect(page).toContain(
      '<link rel="stylesheet" href="/graphql/playground/graphiql.css?v=abc" />',
    );
  });
});

describe('escapeHtml', () => {
  it('escapes every character that could end an attribute or open a tag', () => {
    expect(escapeHtml(`<a href='x'>"&"</a>`)).toBe(
      '&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;',
    );
  });
});

describe('playgroundCsp', () => {
  const directives = new Map(
    playgroundCsp('bm9uY2U=')
      .split(';')
      .map((directive) => {
        const [name = '', ...values] = directive.trim().split(/\s+/);
        return [name, values];
      }),
  );

  it('allows scripts from the gateway only: no inline script, no eval', () => {
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(playgroundCsp('bm9uY2U=')).not.toContain('unsafe');
  });

  it("allows inline style elements only with the response's nonce", () => {
    expect(directives.get('style-src')).toEqual(["'self'", "'nonce-bm9uY2U='"]);
  });
});
