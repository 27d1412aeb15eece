import type { ChannelCapabilities } from '../../src/core/channel';

/**
 * WhatsApp's limits for what a business sends (Cloud API reference: messages, interactive
 * messages, templates). Renderers read them from here, never from scattered literals.
 */
export const WHATSAPP_LIMITS = {
  text: 4096,
  /** Body of a button, list or location-request message; caption of an image or document. */
  interactiveBody: 1024,
  caption: 1024,
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
  listRows: 10,
  listButton: 20,
  rowTitle: 24,
  rowDescription: 72,
  rowId: 200,
  /** A template variable: keep room for the template's own words within its 1024-character body. */
  templateParameter: 900,
} as const;

export const WHATSAPP_CLOUD_CAPABILITIES: ChannelCapabilities = {
  maxButtons: WHATSAPP_LIMITS.buttons,
  maxListRows: WHATSAPP_LIMITS.listRows,
  maxButtonTitle: WHATSAPP_LIMITS.buttonTitle,
  maxTextLength: WHATSAPP_LIMITS.text,
  media: ['image', 'document'],
};
