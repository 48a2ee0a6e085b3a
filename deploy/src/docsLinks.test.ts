import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, repoPath } from './services';

/** The documentation whose relative links must resolve, as paths from the repository root. */
function documentationFiles(): string[] {
  const markdownIn = (dir: string) =>
    readdirSync(repoPath(dir))
      .filter((file) => file.endsWith('.md'))
      .sort()
      .map((file) => `${dir}/${file}`);
  return ['README.md', ...markdownIn('docs'), 'bench/README.md', ...markdownIn('diagrams')];
}

const OPENING_FENCE = /^\s*(`{3,}|~{3,})/;

/** Whether `line` closes a block opened by `openFence`: the same character, as many or more, alone. */
function closesFence(line: string, openFence: string): boolean {
  const fence = line.trim();
  return /^(`+|~+)$/.test(fence) && fence[0] === openFence[0] && fence.length >= openFence.length;
}

/** The Markdown with every line of a fenced code block blanked, so line numbers still hold. */
function withoutFencedCode(markdown: string): string {
  let openFence: string | undefined;
  return markdown
    .split('\n')
    .map((line) => {
      if (openFence === undefined) {
        openFence = OPENING_FENCE.exec(line)?.[1];
        return openFence === undefined ? line : '';
      }
      if (closesFence(line, openFence)) openFence = undefined;
      return '';
    })
    .join('\n');
}

/** Inline code spans replaced by spaces (newlines kept): a link written as code is not a link. */
function withoutInlineCode(markdown: string): string {
  return markdown.replace(/(`+)[\s\S]*?\1/g, (span) => span.replace(/[^\n]/g, ' '));
}

/**
 * The anchor GitHub gives a heading: lowercase; every character that is not a letter, a digit,
 * a space, a hyphen or an underscore dropped (letters of any script kept); spaces become hyphens.
 */
function githubSlug(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

/** The text of every ATX heading outside fenced code, closing `#`s removed. */
function headingsOf(markdown: string): string[] {
  return withoutFencedCode(markdown)
    .split('\n')
    .map((line) => /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(line))
    .filter((match) => match !== null)
    .map((match) => match[1] ?? '');
}

/** Every anchor a file's headings define; a repeated heading gets `-1`, `-2`, … as on GitHub. */
function headingAnchors(markdown: string): Set<string> {
  const timesSeen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const heading of headingsOf(markdown)) {
    const slug = githubSlug(heading);
    const seen = timesSeen.get(slug) ?? 0;
    timesSeen.set(slug, seen + 1);
    anchors.add(seen === 0 ? slug : `${slug}-${seen}`);
  }
  return anchors;
}

interface MarkdownLink {
  target: string;
  line: number;
}

/** `[text](target)` and `![alt](target)` outside code, with the line each starts on. */
function markdownLinks(markdown: string): MarkdownLink[] {
  const prose = withoutInlineCode(withoutFencedCode(markdown));
  return [...prose.matchAll(/\[[^\]]*\]\(\s*([^)\s]+)(?:\s+"[^"]*")?\s*\)/g)].map((match) => ({
    target: match[1] ?? '',
    line: prose.slice(0, match.index).split('\n').length,
  }));
}

/** A link that leaves the repository (`https:`, `mailto:`, …) is not checked here. */
function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target);
}

/** What a link check needs of the file system, so the check can run on made-up files. */
interface Files {
  exists(absolutePath: string): boolean;
  read(absolutePath: string): string;
}

const REPOSITORY: Files = {
  exists: (absolutePath) => existsSync(absolutePath),
  read: (absolutePath) => readFileSync(absolutePath, 'utf8'),
};

/** The file a link points at, from the repository root; `file` itself for `#anchor` alone. */
function linkedPath(file: string, pathPart: string): string {
  if (pathPart === '') return file;
  const decoded = decodeURIComponent(pathPart);
  if (decoded.startsWith('/')) return path.posix.normalize(decoded.slice(1));
  return path.posix.join(path.posix.dirname(file), decoded);
}

/** Why one link of `file` does not resolve, or undefined when it does. */
function linkProblem(
  file: string,
  markdown: string,
  target: string,
  files: Files,
): string | undefined {
  const [pathPart = '', anchor] = target.split('#', 2);
  const linked = linkedPath(file, pathPart);
  if (linked.startsWith('..')) return `${linked} is outside the repository`;
  const absolute = path.join(REPO_ROOT, linked);
  if (linked !== file && !files.exists(absolute)) return `${linked} does not exist`;
  if (anchor === undefined || !linked.endsWith('.md')) return undefined;
  const text = linked === file ? markdown : files.read(absolute);
  const wanted = decodeURIComponent(anchor);
  return headingAnchors(text).has(wanted) ? undefined : `${linked} has no heading #${wanted}`;
}

/** Every relative link of `file` (its text `markdown`) that does not resolve, as `file:line: …`. */
function linkProblems(file: string, markdown: string, files: Files = REPOSITORY): string[] {
  return markdownLinks(markdown)
    .filter(({ target }) => !isExternal(target))
    .flatMap(({ target, line }) => {
      const problem = linkProblem(file, markdown, target, files);
      return problem === undefined ? [] : [`${file}:${line}: (${target}) ${problem}`];
    });
}

describe('githubSlug', () => {
  it.each([
    ['Quick start', 'quick-start'],
    ['The gateway (`gateway/`, :8000)', 'the-gateway-gateway-8000'],
    [
      'GraphQL on the same dial: progressive `@override`',
      'graphql-on-the-same-dial-progressive-override',
    ],
    ['CinemaAbyss — C4 container diagram', 'cinemaabyss--c4-container-diagram'],
    [
      "The gateway's schema: the live migration dial",
      'the-gateways-schema-the-live-migration-dial',
    ],
    ['snake_case and kebab-case', 'snake_case-and-kebab-case'],
    ['Über die Größe: 1b', 'über-die-größe-1b'],
    ['See [the chart](charts/README.md)', 'see-the-chart'],
  ])('%s → %s', (heading, slug) => {
    expect(githubSlug(heading)).toBe(slug);
  });
});

describe('headingAnchors', () => {
  it('numbers repeated headings and ignores headings inside fenced code', () => {
    const markdown = [
      '# Title',
      '## Variables',
      '```sh',
      '# a shell comment, not a heading',
      '```',
      '## Variables',
      '### Variables ###',
      '~~~',
      '## Fenced',
      '~~~',
    ].join('\n');
    expect([...headingAnchors(markdown)]).toEqual([
      'title',
      'variables',
      'variables-1',
      'variables-2',
    ]);
  });
});

describe('markdownLinks', () => {
  it('finds links and images, across lines, but none in code or code spans', () => {
    const markdown = [
      'See [the docs](docs/a.md#part) and `[not](a-link.md)`.',
      '![a picture whose alt text',
      'goes on](images/b.png)',
      '```md',
      '[in a fence](nowhere.md)',
      '```',
      '[home](https://example.com) and [a section](#quick-start "title")',
    ].join('\n');
    expect(markdownLinks(markdown)).toEqual([
      { target: 'docs/a.md#part', line: 1 },
      { target: 'images/b.png', line: 2 },
      { target: 'https://example.com', line: 7 },
      { target: '#quick-start', line: 7 },
    ]);
  });
});

describe('linkProblems', () => {
  const files: Files = {
    exists: (absolutePath) =>
      ['docs/guide.md', 'docs/images', 'README.md'].some(
        (known) => absolutePath === path.join(REPO_ROOT, known),
      ),
    read: () => '# Guide\n\n## Set up\n',
  };

  it('reports a missing file and a missing heading, and nothing for links that resolve', () => {
    const markdown = [
      '# Home',
      '[guide](docs/guide.md#set-up), [pictures](docs/images), [top](#home),',
      '[mail](mailto:team@example.com), [web](https://example.com/x.md#nope)',
      '[gone](docs/removed.md) and [moved](docs/guide.md#install) and [self](#nowhere)',
    ].join('\n');
    expect(linkProblems('README.md', markdown, files)).toEqual([
      'README.md:4: (docs/removed.md) docs/removed.md does not exist',
      'README.md:4: (docs/guide.md#install) docs/guide.md has no heading #install',
      'README.md:4: (#nowhere) README.md has no heading #nowhere',
    ]);
  });

  it('resolves a link relative to the file that holds it', () => {
    expect(
      linkProblems('docs/guide.md', '[readme](../README.md), [up](../../x.md)', files),
    ).toEqual(['docs/guide.md:1: (../../x.md) ../x.md is outside the repository']);
  });
});

describe('the documentation', () => {
  it('lists the README, docs/, bench/README.md and diagrams/', () => {
    expect(documentationFiles()).toEqual(
      expect.arrayContaining([
        'README.md',
        'docs/architecture.md',
        'bench/README.md',
        'diagrams/er.md',
      ]),
    );
  });

  it.each(documentationFiles())('%s: every relative link resolves', (file) => {
    expect(linkProblems(file, readFileSync(repoPath(file), 'utf8'))).toEqual([]);
  });
});
