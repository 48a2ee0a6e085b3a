import { readFileSync, readdirSync } from 'node:fs';
import { ALL_TOPICS } from '@cinemaabyss/shared/kafka';
import { DELIVERED_SERVICES, repoPath } from './services';

function read(...segments: string[]): string {
  return readFileSync(repoPath(...segments), 'utf8');
}

function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

interface Table {
  name: string;
  columns: string[];
  primaryKey: string[];
  /** Column → referenced table. */
  references: Map<string, string>;
}

const NOT_COLUMNS = new Set(['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN', 'EXCLUDE']);

/** The tables a service's migrations create (and the columns they add), read from their SQL, without a schema prefix. */
function migratedTables(service = 'legacy-monolith'): Table[] {
  const dir = repoPath(service, 'migrations');
  const sql = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => readFileSync(`${dir}/${file}`, 'utf8'))
    .join('\n');
  const tables = [...sql.matchAll(/CREATE TABLE (?:\w+\.)?(\w+) \(\n([\s\S]*?)\n\);/g)].map(
    ([, name = '', body = '']) => {
      const table: Table = { name, columns: [], primaryKey: [], references: new Map() };
      for (const line of body.split('\n').map((text) => text.trim())) {
        if (line.startsWith('--')) continue;
        const tableKey = /^PRIMARY KEY \(([^)]+)\)/.exec(line);
        if (tableKey?.[1])
          table.primaryKey.push(...tableKey[1].split(',').map((key) => key.trim()));
        const [word = ''] = line.split(/\s+/);
        if (!/^\w+$/.test(word) || NOT_COLUMNS.has(word.toUpperCase())) continue;
        table.columns.push(word);
        if (/PRIMARY KEY/.test(line)) table.primaryKey.push(word);
        const reference = /REFERENCES (?:\w+\.)?(\w+)/.exec(line)?.[1];
        if (reference) table.references.set(word, reference);
      }
      return table;
    },
  );
  // Columns later migrations add, in the order they add them.
  for (const [, name = '', body = ''] of sql.matchAll(/ALTER TABLE (?:\w+\.)?(\w+)\s+([^;]*);/g)) {
    const table = tables.find((candidate) => candidate.name === name);
    for (const [, column = ''] of body.matchAll(/ADD COLUMN (\w+)/g)) table?.columns.push(column);
  }
  return tables;
}

/** The attribute lines of one entity of an erDiagram. */
function entityAttributes(diagram: string, entity: string): string[] {
  const block = new RegExp(`\\n\\s*${entity} \\{\\n([\\s\\S]*?)\\n\\s*\\}`).exec(diagram)?.[1];
  if (block === undefined) throw new Error(`the ER diagram has no entity ${entity}`);
  return block.split('\n').map((line) => line.trim());
}

/** The dead-letter topic the events service publishes to, read from its source. */
function deadLetterTopic(): string {
  const topic = /DEAD_LETTER_TOPIC = '([^']+)'/.exec(read('events', 'src', 'topics.ts'))?.[1];
  if (!topic) throw new Error('no DEAD_LETTER_TOPIC in events/src/topics.ts');
  return topic;
}

describe('diagrams/c4-containers.md', () => {
  const [containers = '', flow = ''] = mermaidBlocks(read('diagrams', 'c4-containers.md'));

  it('is a Mermaid C4 container diagram, with a flowchart of the migrations', () => {
    expect(containers.trimStart()).toMatch(/^C4Container\n/);
    expect(flow.trimStart()).toMatch(/^flowchart /);
  });

  it('shows every service on its port', () => {
    for (const { port } of DELIVERED_SERVICES) {
      expect(containers).toMatch(new RegExp(`Container\\(\\w+, "[^"]+ :${port}"`));
      expect(flow).toContain(`:${port}`);
    }
    expect(containers).toMatch(/ContainerDb\(db, "PostgreSQL/);
    expect(containers).toMatch(/ContainerQueue\(kafka, "Apache Kafka :9092", "KRaft/);
    expect(containers).toMatch(/Container\(zipkin, "Zipkin :9411"/);
  });

  it('names every Kafka topic, the dead-letter one included', () => {
    for (const topic of [...ALL_TOPICS, deadLetterTopic()]) {
      expect(containers).toContain(topic);
      expect(flow).toContain(topic);
    }
  });

  it('shows the strangler split and the outbox relay', () => {
    for (const text of ['MOVIES_MIGRATION_PERCENT', 'GRADUAL_MIGRATION', 'outbox']) {
      expect(containers).toContain(text);
    }
    expect(flow).toMatch(/N %/);
    expect(flow).toMatch(/relay/);
  });

  it('relates only declared containers', () => {
    const declared = new Set(
      [
        ...containers.matchAll(
          /^\s*(?:Person|System_Ext|Container|ContainerDb|ContainerQueue)\((\w+),/gm,
        ),
      ].map((match) => match[1]),
    );
    const related = [...containers.matchAll(/^\s*Rel\((\w+), (\w+),/gm)].flatMap((match) => [
      match[1],
      match[2],
    ]);
    expect(related.length).toBeGreaterThan(0);
    expect(related.filter((name) => !declared.has(name))).toEqual([]);
  });
});

/**
 * One ER diagram of diagrams/er.md against the tables a service's migrations create: the same
 * entities, and for each its columns in order, primary key and foreign keys.
 */
function describeErDiagram(options: {
  title: string;
  block: number;
  service: string;
  expectedTables: string[];
}) {
  describe(options.title, () => {
    const diagram = mermaidBlocks(read('diagrams', 'er.md'))[options.block] ?? '';
    const tables = migratedTables(options.service);

    it(`is a Mermaid ER diagram of every table ${options.service} migrates`, () => {
      expect(diagram.trimStart()).toMatch(/^erDiagram\n/);
      expect(tables.map(({ name }) => name)).toEqual(
        expect.arrayContaining(options.expectedTables),
      );
      const entities = [...diagram.matchAll(/^\s*(\w+) \{$/gm)].map((match) => match[1]);
      expect(entities.sort()).toEqual(tables.map(({ name }) => name).sort());
    });

    it.each(tables.map((table) => [table.name, table] as const))(
      '%s has every column, its primary key and its foreign keys',
      (_name, table) => {
        const attributes = entityAttributes(diagram, table.name);
        const attribute = (column: string) =>
          attributes.find((line) => line.split(/\s+/)[1] === column) ?? '';
        expect(attributes.map((line) => line.split(/\s+/)[1])).toEqual(table.columns);
        for (const column of table.primaryKey) expect(attribute(column)).toMatch(/\bPK\b/);
        for (const [column, referenced] of table.references) {
          expect(attribute(column)).toMatch(/\bFK\b/);
          expect(diagram).toMatch(
            new RegExp(`^\\s*${referenced} \\|\\|--o\\{ ${table.name} :`, 'm'),
          );
        }
      },
    );
  });
}

describeErDiagram({
  title: 'diagrams/er.md',
  block: 0,
  service: 'legacy-monolith',
  expectedTables: ['users', 'movies', 'outbox', 'processed_events'],
});
describeErDiagram({
  title: "diagrams/er.md, the gateway's schema",
  block: 1,
  service: 'gateway',
  expectedTables: ['migrations', 'migration_audit'],
});
