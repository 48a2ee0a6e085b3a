import path from 'node:path';
import { PARTS, parseBenchOptions } from './benchOptions';

const resultsDir = path.join(__dirname, '..', 'results');

describe('parseBenchOptions', () => {
  it('runs every part at full size without flags, writing to bench/results', () => {
    const options = parseBenchOptions([]);
    expect(options).toMatchObject({
      quick: false,
      rounds: 5,
      measureSeconds: 5,
      warmupSeconds: 3,
      settleSeconds: 1,
      connections: 10,
      userSteps: [3, 50, 500],
      gatewayUsers: [50, 500],
      outboxRows: 20_000,
      outboxRounds: 3,
      outboxWhatIfBatchSize: 100,
      mutations: 400,
      mutationRate: 20,
      profileDir: undefined,
      resultsDir,
      merge: false,
    });
    expect([...options.parts]).toEqual([
      'gateways',
      'tracing',
      'auth',
      'rest',
      'shadow',
      'nplus1',
      'events',
      'subscriptions',
    ]);
  });

  it('reads --merge', () => {
    expect(parseBenchOptions(['--only=subscriptions', '--merge']).merge).toBe(true);
  });

  it('shrinks a --quick run and writes it to results/quick, never over the full results', () => {
    const options = parseBenchOptions(['--quick']);
    expect(options).toMatchObject({
      quick: true,
      rounds: 2,
      measureSeconds: 1,
      warmupSeconds: 0.5,
      settleSeconds: 0,
      gatewayUsers: [50],
      outboxRows: 3_000,
      outboxRounds: 1,
      outboxWhatIfBatchSize: undefined,
      mutations: 40,
      resultsDir: path.join(resultsDir, 'quick'),
    });
    expect(options.parts.size).toBe(PARTS.length);
  });

  it.each([[[]], [['--quick']]])(
    'compares the gateways only at sizes the user base grows through (%j)',
    (argv) => {
      const { gatewayUsers, userSteps } = parseBenchOptions(argv);
      expect(gatewayUsers.every((n) => userSteps.includes(n))).toBe(true);
    },
  );

  it('runs exactly the parts named by --only', () => {
    expect([...parseBenchOptions(['--only=rest,events']).parts].sort()).toEqual(['events', 'rest']);
    expect([...parseBenchOptions(['--quick', '--only=nplus1']).parts]).toEqual(['nplus1']);
  });

  it('refuses an unknown part, naming it and the known ones', () => {
    const parse = () => parseBenchOptions(['--only=rest,movies']);
    expect(parse).toThrow(/--only: unknown part\(s\) "movies";/);
    expect(parse).toThrow(/known: gateways, tracing, auth, rest, shadow, nplus1, events/);
  });

  it.each(['--only=', '--only=rest,'])('refuses an empty part name (%s)', (arg) => {
    expect(() => parseBenchOptions([arg])).toThrow(/--only: unknown part\(s\) "";/);
  });

  it('refuses a value for --quick', () => {
    expect(() => parseBenchOptions(['--quick=no'])).toThrow('--quick takes no value');
  });

  it('refuses an unknown flag, naming it', () => {
    expect(() => parseBenchOptions(['--quick', '--fast'])).toThrow('unknown flag --fast');
  });

  it('refuses an unknown flag given a value, naming the flag', () => {
    expect(() => parseBenchOptions(['--fast=1'])).toThrow('unknown flag --fast');
  });

  it('refuses an empty value for --quick too', () => {
    expect(() => parseBenchOptions(['--quick='])).toThrow('--quick takes no value');
  });

  it('refuses `--`: the bench takes nothing after its flags', () => {
    expect(() => parseBenchOptions(['--quick', '--'])).toThrow('unknown argument --');
  });

  it.each(['--only', '--gateway-users'])('refuses %s without a value, naming the flag', (arg) => {
    expect(() => parseBenchOptions([arg])).toThrow(`${arg}: needs a value, as in ${arg}=…`);
  });

  it('takes a value only after `=`: `--only rest` is refused', () => {
    expect(() => parseBenchOptions(['--only', 'rest'])).toThrow('--only: needs a value');
  });

  it('takes the last value of a flag given twice', () => {
    expect([...parseBenchOptions(['--only=rest', '--only=events']).parts]).toEqual(['events']);
  });

  it.each(['quick', '-q', '--Quick'])('refuses the argument %s, naming it', (arg) => {
    expect(() => parseBenchOptions([arg])).toThrow(`unknown argument ${arg}`);
  });

  it('compares the gateways at the sizes --gateway-users names, in a full or a quick run', () => {
    expect(parseBenchOptions(['--gateway-users=50']).gatewayUsers).toEqual([50]);
    expect(parseBenchOptions(['--quick', '--gateway-users=3,500']).gatewayUsers).toEqual([3, 500]);
  });

  it.each(['--gateway-users=100', '--gateway-users=50,abc', '--gateway-users=', '--gateway-users'])(
    'refuses %s, naming the flag',
    (arg) => {
      expect(() => parseBenchOptions([arg])).toThrow(/^--gateway-users: /);
    },
  );

  it('writes profiles under results/profiles for a bare --profile', () => {
    expect(parseBenchOptions(['--profile']).profileDir).toBe(path.join(resultsDir, 'profiles'));
  });

  it('reads a bare --profile before another flag as the default directory, not as its value', () => {
    const options = parseBenchOptions(['--profile', '--quick']);
    expect(options.profileDir).toBe(path.join(resultsDir, 'profiles'));
    expect(options.quick).toBe(true);
  });

  it('writes profiles under results/profiles for an empty --profile=', () => {
    expect(parseBenchOptions(['--profile=']).profileDir).toBe(path.join(resultsDir, 'profiles'));
  });

  it('refuses `--profile dir`: the directory goes after `=`', () => {
    expect(() => parseBenchOptions(['--profile', 'profiles/ours'])).toThrow(
      'unknown argument profiles/ours',
    );
  });

  it('writes profiles to the directory --profile= names, resolved from the working directory', () => {
    expect(parseBenchOptions(['--profile=/tmp/bench-profiles']).profileDir).toBe(
      '/tmp/bench-profiles',
    );
    expect(parseBenchOptions(['--profile=profiles/ours']).profileDir).toBe(
      path.join(process.cwd(), 'profiles', 'ours'),
    );
  });
});
