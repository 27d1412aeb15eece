import type { ChannelAdapter, StoredOutbound } from './core/channel';
import { SendError } from './core/errors';
import type { Address, Expecting, Inbound, Locale, Match, Outbound } from './core/types';
import { runTurn, type ActionCall, type EngineContext, type Effect, type TurnEvent, type TurnResult } from './engine/runTurn';
import type { ConversationState, SlotValue } from './engine/state';
import type { AttachmentInfo } from './engine/validators';
import type { Logger } from './log';
import type { Dedupe } from './queue/dedupe';
import type { Locks } from './queue/locks';
import type { OutboxRelay } from './queue/outbox';
import type { Db, Store } from './store/db';
import { audit } from './store/repos/audit';
import { findConversation, getOrCreateConversation, saveConversationState, type ConversationRow } from './store/repos/conversations';
import { insertInbound, insertOutbound, setMessagesStatus, type MessageRow } from './store/repos/messages';
import { enqueueOutbox, type OutboxItem, type OutboxRow } from './store/repos/outbox';

/** A named action a flow may call. Runs inside the turn's transaction; its result goes back to the engine. */
export type Action = (call: ActionCall, ctx: ActionContext) => Promise<SlotValue>;
export interface ActionContext {
  tx: Db;
  conversation: ConversationRow;
  state: ConversationState;
  /** Extra outbox work the action wants done after the commit (notifications, ...). */
  enqueue: (item: OutboxItem) => void;
}

/** Stores an inbound attachment's bytes before the turn (the engine only sees references). */
export type AttachmentSink = (conversation: ConversationRow, attachment: NonNullable<Inbound['attachments']>[number], tx: Db) => Promise<AttachmentInfo>;

export interface GatewayObserver {
  processed?(channel: string, ms: number, match?: Match): void;
  delivered?(channel: string, count: number): void;
  failed?(kind: string, err: unknown): void;
}

export interface GatewayDeps {
  store: Store;
  dedupe: Dedupe;
  locks: Locks;
  engine: EngineContext;
  outbox: OutboxRelay;
  log: Logger;
  actions?: ReadonlyMap<string, Action>;
  attachments?: AttachmentSink;
  observer?: GatewayObserver;
  leaseSeconds: number;
  defaultLocale: Locale;
}

export interface DeliveredReply extends StoredOutbound {
  createdAt: Date;
}

export interface ReceiveResult {
  duplicate: boolean;
  conversation?: ConversationRow;
  replies: DeliveredReply[];
  expecting?: Expecting;
  match?: Match;
}

const MAX_ACTIONS_PER_TURN = 20;

/**
 * The path of one message: dedupe -> one at a time per conversation -> load -> engine -> commit in one
 * transaction -> deliver. What was committed is delivered even if the process dies right after.
 */
export class Gateway {
  private readonly channels = new Map<string, ChannelAdapter>();

  constructor(private readonly deps: GatewayDeps) {
    deps.outbox.register('deliver', (payload) => this.deliver(payload as unknown as DeliverPayload));
  }

  get engine(): EngineContext {
    return this.deps.engine;
  }

  addChannel(adapter: ChannelAdapter): void {
    this.channels.set(adapter.id, adapter);
  }

  channel(id: string): ChannelAdapter | undefined {
    return this.channels.get(id);
  }

  /**
   * Processes one inbound message. By default it resolves once the replies were handed to the
   * channel; with `untilCommitted` it resolves as soon as the turn is committed (a webhook can
   * answer its platform at once), while delivery goes on under the conversation's lock, so the
   * next message of the same person still waits for it and replies keep their order.
   */
  async receive(inbound: Inbound, options: { untilCommitted?: boolean } = {}): Promise<ReceiveResult> {
    const dedupeKey = `${inbound.channel}:${inbound.channelMessageId}`;
    if (!(await this.deps.dedupe.claim(dedupeKey))) return { duplicate: true, replies: [] };
    let committed: ((result: ReceiveResult) => void) | undefined;
    const early = options.untilCommitted ? new Promise<ReceiveResult>((resolve) => (committed = resolve)) : undefined;
    const whole = (async () => {
      try {
        return await this.deps.locks.withLock(`conv:${inbound.channel}:${inbound.sender.id}`, () => this.process(inbound, committed));
      } catch (err) {
        // Let the channel's retry through: nothing of this message was committed.
        await this.deps.dedupe.release(dedupeKey).catch(() => undefined);
        this.deps.observer?.failed?.('pipeline', err);
        throw err;
      }
    })();
    if (!early) return whole;
    // Failures before the commit reject `whole` first; after it, delivery failures live in the outbox.
    whole.catch(() => undefined);
    return Promise.race([early, whole]);
  }

  /** Feeds an event that is not a message (staff closed the chat, a deep link) into a conversation. */
  async dispatchEvent(conversationId: string, event: TurnEvent): Promise<ReceiveResult> {
    const found = await findConversation(this.deps.store.db, conversationId);
    if (!found) throw new Error(`No conversation ${conversationId}`);
    return this.deps.locks.withLock(`conv:${found.channel}:${found.channelUserId}`, async () => {
      const { committed, rows } = await this.deps.store.transaction(async (tx) => {
        const conversation = (await findConversation(tx, conversationId))!;
        return this.turn(tx, conversation, event, undefined);
      });
      await this.deps.outbox.dispatch(rows);
      return committed;
    });
  }

  /** Sends messages that do not come from a turn (staff replies, decisions) through the same outbox. */
  async notify(conversationId: string, messages: Outbound[], author: StoredOutbound['author'], authorId?: string, tx?: Db): Promise<DeliveredReply[]> {
    // Inside a caller's transaction the rows are left unleased: the poller delivers them once it commits.
    const write = async (db: Db, lease: boolean) => {
      const conversation = await findConversation(db, conversationId);
      if (!conversation) throw new Error(`No conversation ${conversationId}`);
      return this.commitReplies(db, conversation, messages, author, authorId, [], lease);
    };
    if (tx) return (await write(tx, false)).replies;
    const { replies, rows } = await this.deps.store.transaction((db) => write(db, true));
    await this.deps.outbox.dispatch(rows);
    return replies;
  }

  private async process(inbound: Inbound, onCommitted?: (result: ReceiveResult) => void): Promise<ReceiveResult> {
    const started = performance.now();
    const { committed, rows } = await this.deps.store.transaction(async (tx) => {
      const conversation = await getOrCreateConversation(
        tx,
        inbound.channel,
        inbound.sender.id,
        inbound.locale ?? this.deps.defaultLocale,
        inbound.sender.name,
      );
      const attachments = await this.storeAttachments(tx, conversation, inbound);
      const stored = await insertInbound(tx, {
        conversationId: conversation.id,
        author: 'beneficiary',
        channel: inbound.channel,
        channelMessageId: inbound.channelMessageId,
        // The answer to a `sensitive` question (national ID) is kept masked in the transcript; the engine sees it whole.
        text: (inbound.text !== undefined && this.answersSensitiveQuestion(conversation) ? maskDigits(inbound.text) : inbound.text) ?? null,
        body: compact({ payload: inbound.payload, location: inbound.location, attachments: attachments.length ? attachments : undefined }),
        createdAt: inbound.receivedAt,
      });
      if (!stored) return { committed: { duplicate: true, conversation, replies: [] } as ReceiveResult, rows: [] as OutboxRow[] };
      const event: TurnEvent = {
        type: 'message',
        answer: { text: inbound.text, payload: inbound.payload, location: inbound.location, attachments },
      };
      return this.turn(tx, conversation, event, stored);
    });
    this.deps.observer?.processed?.(inbound.channel, performance.now() - started, committed.match);
    onCommitted?.(committed);
    await this.deps.outbox.dispatch(rows);
    return committed;
  }

  /** Runs the engine (and the actions it asks for) and writes everything in the caller's transaction. */
  private async turn(tx: Db, conversation: ConversationRow, event: TurnEvent, inbound?: MessageRow): Promise<{ committed: ReceiveResult; rows: OutboxRow[] }> {
    const extra: OutboxItem[] = [];
    const result = await this.runWithActions(tx, conversation, event, extra);
    await saveConversationState(tx, conversation.id, result.state, inbound !== undefined);
    const effects = this.effectRows(conversation, result.effects, inbound);
    const audits = result.effects.filter((e): e is Extract<Effect, { type: 'audit' }> => e.type === 'audit');
    if (audits.length) {
      await audit(
        tx,
        audits.map((a) => ({ actor: 'bot', action: a.action, subjectType: 'conversation', subjectId: conversation.id, details: a.details })),
      );
    }
    const { replies, rows } = await this.commitReplies(tx, { ...conversation, state: result.state }, result.replies, 'bot', undefined, [...effects, ...extra]);
    const last = result.replies[result.replies.length - 1];
    return {
      committed: { duplicate: false, conversation: { ...conversation, state: result.state, mode: result.state.mode }, replies, expecting: last?.expecting, match: result.match },
      rows,
    };
  }

  private async runWithActions(tx: Db, conversation: ConversationRow, event: TurnEvent, extra: OutboxItem[]): Promise<TurnResult> {
    const engine = this.deps.engine;
    let result: TurnResult;
    try {
      result = runTurn(conversation.state, event, engine);
      const replies = [...result.replies];
      const effects = [...result.effects];
      const match = result.match;
      for (let n = 0; result.call; n++) {
        if (n >= MAX_ACTIONS_PER_TURN) throw new Error('Too many actions in one turn');
        const action = this.deps.actions?.get(result.call.name);
        if (!action) throw new Error(`Unknown action ${result.call.name}`);
        const value = await action(result.call, { tx, conversation, state: result.state, enqueue: (item) => extra.push(item) });
        result = runTurn(result.state, { type: 'actionResult', value }, engine);
        replies.push(...result.replies);
        effects.push(...result.effects);
      }
      return { ...result, replies, effects, match: match ?? result.match };
    } catch (err) {
      // A bug or a failed action must not leave the person without an answer, nor lose their message.
      this.deps.log.error({ err, conversationId: conversation.id, channel: conversation.channel, flow: conversation.state.stack.at(-1)?.flowId }, 'turn failed');
      this.deps.observer?.failed?.('turn', err);
      const locale = conversation.state.locale;
      return {
        state: conversation.state,
        replies: [{ text: engine.t('errors.internal', locale), choices: [{ label: engine.t('fallback.talk_to_staff', locale), value: 'cmd:human' }] }],
        effects: [],
        match: { kind: 'fallback', id: 'fallback', reason: 'error' },
      };
    }
  }

  private effectRows(conversation: ConversationRow, effects: Effect[], inbound?: MessageRow): OutboxItem[] {
    const base = { conversationId: conversation.id };
    const items: OutboxItem[] = [];
    for (const effect of effects) {
      if (effect.type === 'audit') continue;
      items.push({ ...base, kind: effect.type === 'leaveQueue' ? 'leave-queue' : effect.type, payload: { ...effect, messageId: inbound?.id ?? null } });
    }
    return items;
  }

  private async commitReplies(
    tx: Db,
    conversation: ConversationRow,
    replies: Outbound[],
    author: StoredOutbound['author'],
    authorId?: string,
    extra: OutboxItem[] = [],
    lease = true,
  ): Promise<{ replies: DeliveredReply[]; rows: OutboxRow[] }> {
    const stored = await insertOutbound(
      tx,
      replies.map((r) => ({
        conversationId: conversation.id,
        author,
        authorId: authorId ?? null,
        channel: conversation.channel,
        text: r.text,
        body: compact({ choices: r.choices, media: r.media, expecting: r.expecting }),
        status: 'pending',
      })),
    );
    const delivered: DeliveredReply[] = stored.map((row, i) => ({ ...replies[i]!, id: row.id, author, createdAt: row.createdAt }));
    const items = [...extra];
    if (delivered.length) {
      const address: Address = { channel: conversation.channel, channelUserId: conversation.channelUserId, conversationId: conversation.id };
      items.unshift({ kind: 'deliver', conversationId: conversation.id, payload: { address, messages: delivered } as unknown as Record<string, unknown> });
    }
    const rows = await enqueueOutbox(tx, items, lease ? this.deps.leaseSeconds : undefined);
    return { replies: delivered, rows: lease ? rows : [] };
  }

  private answersSensitiveQuestion(conversation: ConversationRow): boolean {
    const frame = conversation.state.stack.at(-1);
    if (!frame?.waiting || conversation.state.mode !== 'bot') return false;
    const flow = this.deps.engine.flows.flows.get(frame.flowId);
    const step = flow?.steps[flow.index.get(frame.stepId) ?? -1];
    return Boolean(step && 'ask' in step && step.ask.sensitive);
  }

  private async storeAttachments(tx: Db, conversation: ConversationRow, inbound: Inbound): Promise<AttachmentInfo[]> {
    if (!inbound.attachments?.length) return [];
    const sink = this.deps.attachments;
    if (!sink) return inbound.attachments.map((a, i) => ({ kind: a.kind, mime: a.mime, size: a.size, fileName: a.fileName, ref: `unstored:${i}` }));
    return Promise.all(inbound.attachments.map((a) => sink(conversation, a, tx)));
  }

  private async deliver(payload: DeliverPayload): Promise<void> {
    const adapter = this.channels.get(payload.address.channel);
    if (!adapter) throw new SendError(`channel ${payload.address.channel} is not running`, true);
    const messages = payload.messages.map((m) => ({ ...m, createdAt: new Date(m.createdAt) }));
    const sent = await adapter.send(payload.address, messages);
    this.deps.observer?.delivered?.(payload.address.channel, messages.length);
    const ids = sent.channelMessageIds;
    if (ids?.some(Boolean)) {
      await Promise.all(messages.map((m, i) => setMessagesStatus(this.deps.store.db, [m.id], 'sent', ids[i])));
    }
  }
}

interface DeliverPayload {
  address: Address;
  messages: DeliveredReply[];
}

/** Every digit but the last four becomes `*` (ASCII, Arabic-Indic and Persian digits alike). */
export function maskDigits(text: string): string {
  const total = (text.match(/[0-9\u0660-\u0669\u06F0-\u06F9]/g) ?? []).length;
  let seen = 0;
  return text.replace(/[0-9\u0660-\u0669\u06F0-\u06F9]/g, (d) => (++seen <= total - 4 ? '*' : d));
}

function compact<T extends Record<string, unknown>>(obj: T): T | null {
  const entries = Object.entries(obj).filter(([, v]) => v !== undefined);
  return entries.length ? (Object.fromEntries(entries) as T) : null;
}
