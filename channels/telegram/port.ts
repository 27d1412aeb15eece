import type { InboundPort } from '../../src/core/channel';
import type { Gateway } from '../../src/gateway';

/**
 * The gateway as Telegram needs it: messages in (receive), polite notices out through the same
 * outbox (notify), and the flows a deep link may open (engine).
 */
export type TelegramPort = Pick<Gateway, 'receive' | 'notify' | 'engine'>;

export function asTelegramPort(gateway: InboundPort): TelegramPort {
  const port = gateway as Partial<TelegramPort>;
  if (typeof port.notify !== 'function' || !port.engine) throw new Error('The Telegram channel needs the core gateway (receive, notify, engine)');
  return port as TelegramPort;
}
