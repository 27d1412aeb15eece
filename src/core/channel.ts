import type { Express } from 'express';
import type { Config } from '../config';
import type { Texts } from '../i18n';
import type { Logger } from '../log';
import type { Store } from '../store/db';
import type { Address, Attachment, ChannelId, Inbound, Outbound } from './types';

/** What a channel can show. Renderers read limits from here, never from scattered literals. */
export interface ChannelCapabilities {
  /** Buttons shown as buttons; more choices become a list or numbered options. */
  maxButtons: number;
  maxListRows: number;
  maxButtonTitle: number;
  maxTextLength: number;
  media: Attachment['kind'][];
}

/** An outbound message as the transcript stored it: `id` is its row, the key for delivery statuses. */
export interface StoredOutbound extends Outbound {
  id: number;
  author: 'bot' | 'staff' | 'system';
}

export interface SendResult {
  /** The platform's ids for the messages sent, in order (WhatsApp ids for delivery statuses). */
  channelMessageIds?: (string | undefined)[];
}

/** The gateway as a channel sees it. */
export interface InboundPort {
  /** `untilCommitted`: resolve once the turn is stored (webhooks answer then); delivery follows in order. */
  receive(inbound: Inbound, options?: { untilCommitted?: boolean }): Promise<unknown>;
}

/** One adapter per channel: native <-> core types, signature checks, media download. It decides nothing. */
export interface ChannelAdapter {
  readonly id: ChannelId;
  readonly capabilities: ChannelCapabilities;
  start(gateway: InboundPort): Promise<void>;
  stop(): Promise<void>;
  send(address: Address, messages: StoredOutbound[]): Promise<SendResult>;
}

/** What the composition root hands every channel (a channel with more needs extends it). */
export interface ChannelHost {
  config: Config;
  store: Store;
  texts: Texts;
  log: Logger;
  /** Where a channel mounts its routes (webhooks, the web chat API). */
  http: Express;
  /** Counts refused requests by code, and unexpected failures (metrics). */
  rejected?: (code: string) => void;
  failed?: (err: unknown) => void;
}
