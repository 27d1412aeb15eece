import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../src/config';

describe('configuration', () => {
  it('has working defaults: PGlite under ./data, Arabic, port 3000, no invented facts', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, DEFAULT_LOCALE: 'ar', ORG_PHONE: '', ORG_HOURS_AR: '' });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.dataDir).toBe(path.resolve('data'));
  });

  it('reports one clear line per bad variable', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', DEFAULT_LOCALE: 'fr', LOG_LEVEL: 'info' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^PORT: .*\(got "eighty"\)$/);
    expect(problems[1]).toMatch(/^DATABASE_URL: must be a URL starting with postgres: or postgresql:/);
    expect(problems[2]).toMatch(/^DEFAULT_LOCALE: /);
  });

  it('hides secrets and passwords in its messages', () => {
    expect(() => loadConfig({ REDIS_URL: 'http://user:hunter2@host' })).toThrow(/\*\*\*/);
    expect(() => loadConfig({ REDIS_URL: 'http://user:hunter2@host' })).not.toThrow(/hunter2/);
  });

  it('stops `npm start` with the message and a non-zero exit code', () => {
    const root = path.resolve(__dirname, '..');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: { ...process.env, PORT: '99999', DATABASE_URL: '', REDIS_URL: '' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Configuration error: PORT: /);
  });

  it('documents every variable in .env.example, and nothing else', () => {
    const documented = readFileSync(path.resolve(__dirname, '../.env.example'), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => line.split('=')[0]);
    expect([...documented].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });
});
