/**
 * Run as a child process by the crash test: starts Nabta, takes one message, and dies (SIGKILL) at the
 * moment the reply is being sent — after the turn was committed, before delivery finished.
 */
import { startApp } from '../../src/app';
import { createLogger } from '../../src/log';
import { fixtureContentEnv } from './fixtureContent';
import { inbound, RecordingChannel } from './recordingChannel';
import { testConfig } from './app';

async function main(): Promise<void> {
  const channel = new RecordingChannel();
  channel.beforeSend = () => {
    process.kill(process.pid, 'SIGKILL');
  };
  const config = testConfig({ ...fixtureContentEnv(), DATA_DIR: process.env.DATA_DIR, DATABASE_URL: process.env.DATABASE_URL, OUTBOX_LEASE_SECONDS: '1' });
  const app = await startApp(config, { log: createLogger({ level: 'silent' }), channels: [channel], http: false, actions: new Map([['save', async () => 'X']]) });
  await app.gateway.receive(inbound('crash-user', 'السلام عليكم'));
}

void main();
