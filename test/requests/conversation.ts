import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Inbound } from '../../src/core/types';
import type { ReceiveResult } from '../../src/gateway';
import { withCheckDigit } from '../../src/policy/nationalId';
import type { TestApp } from '../support/app';
import { inbound } from '../support/recordingChannel';

export const FIXTURES = path.resolve(__dirname, '../fixtures/requests');
export const fixture = (name: string): Buffer => readFileSync(path.join(FIXTURES, name));

/** A valid citizen ID per call, so tests never collide on duplicates. */
let serial = 100_000_000 + (process.pid % 1000) * 100_000;
export function newCitizenId(): string {
  serial += 1;
  return withCheckDigit(`1${String(serial).slice(1)}`);
}

export type Say = string | { payload: string } | { file: string; declared?: string } | { location: { lat: number; lng: number } };

/** One person talking to the app through the gateway, as a channel adapter would hand messages over. */
export class Applicant {
  constructor(
    private readonly app: TestApp,
    readonly user: string,
  ) {}

  async say(message: Say): Promise<ReceiveResult> {
    let extra: Partial<Inbound> = {};
    let text = '';
    if (typeof message === 'string') text = message;
    else if ('payload' in message) extra = { payload: message.payload };
    else if ('location' in message) extra = { location: message.location };
    else {
      const bytes = fixture(message.file);
      extra = { attachments: [{ kind: 'document', mime: message.declared ?? 'application/pdf', size: bytes.length, fileName: message.file, fetch: async () => bytes }] };
    }
    return this.app.gateway.receive(inbound(this.user, text, extra));
  }

  /** Plays messages in order; returns every turn's result. */
  async play(messages: Say[]): Promise<ReceiveResult[]> {
    const results: ReceiveResult[] = [];
    for (const m of messages) results.push(await this.say(m));
    return results;
  }
}

export const texts = (r: ReceiveResult): string[] => r.replies.map((x) => x.text);

/** The answers of an eligible applicant up to (not including) the documents. */
export function eligibleAnswers(nationalId: string): Say[] {
  return [{ payload: 'flow:support-request' }, 'نعم', 'نورة محمد العتيبي', nationalId, '0551234567', 'أم قليب', 'لا'];
}

export const DOCUMENTS: Say[] = [{ file: 'id-card.jpg' }, { file: 'family-book.png' }, { file: 'residence-proof.pdf' }];
