import { brokerLayout, renderLog4jConfig, renderServerProperties } from './brokerConfig';

function parseProperties(text: string): Map<string, string> {
  const entries = text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line): [string, string] => {
      const at = line.indexOf('=');
      return [line.slice(0, at), line.slice(at + 1)];
    });
  return new Map(entries);
}

describe('renderServerProperties', () => {
  const layout = brokerLayout('/data/kafka');
  const props = parseProperties(
    renderServerProperties(layout, { port: 19092, controllerPort: 19093, partitions: 5 }),
  );

  it('configures a single KRaft node that advertises only the loopback client port', () => {
    expect(props.get('process.roles')).toBe('broker,controller');
    expect(props.get('listeners')).toBe('PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093');
    expect(props.get('advertised.listeners')).toBe('PLAINTEXT://127.0.0.1:19092');
    expect(props.get('controller.quorum.bootstrap.servers')).toBe('127.0.0.1:19093');
    expect(props.has('controller.quorum.voters')).toBe(false);
  });

  it('keeps partitions under the data dir and internal topics at one replica', () => {
    expect(props.get('log.dirs')).toBe('/data/kafka/kafka-data');
    expect(props.get('num.partitions')).toBe('5');
    expect(props.get('offsets.topic.replication.factor')).toBe('1');
    expect(props.get('transaction.state.log.min.isr')).toBe('1');
    expect(props.get('share.coordinator.state.topic.replication.factor')).toBe('1');
  });

  it('escapes backslashes, which Java properties would otherwise swallow', () => {
    const text = renderServerProperties(brokerLayout('C:\\kafka'), {
      port: 1,
      controllerPort: 2,
      partitions: 1,
    });
    expect(text).toContain('log.dirs=C:\\\\kafka');
  });
});

describe('renderLog4jConfig', () => {
  it('sends broker logs to files under kafka.logs.dir and nothing to the console', () => {
    const xml = renderLog4jConfig();
    expect(xml).toContain('fileName="${sys:kafka.logs.dir}/server.log"');
    expect(xml).toContain('fileName="${sys:kafka.logs.dir}/warnings.log"');
    expect(xml).not.toMatch(/<Console/i);
  });
});
