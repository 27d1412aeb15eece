import { CALLBACK_DATA_LIMIT, decodeCallbackData, encodeCallbackData, inlineKeyboard, renderOutbound, TELEGRAM_TEXT_LIMIT } from '../../../channels/telegram/render';
import { splitText } from '../../../src/core/text';

describe('Telegram rendering', () => {
  it('splits a long text at paragraph breaks, within the limit, losing nothing', () => {
    const paragraph = 'يهدف برنامج الدعم إلى مساعدة الأسر المستحقة في محافظة حفر الباطن وفق شروط الجمعية المعتمدة. '.repeat(12).trim();
    const text = Array.from({ length: 8 }, (_, i) => `${i + 1}. ${paragraph}`).join('\n\n');
    expect(text.length).toBeGreaterThan(TELEGRAM_TEXT_LIMIT * 2);
    const parts = splitText(text, TELEGRAM_TEXT_LIMIT);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
      expect(part).toMatch(/^\d\. /); // every part starts at a paragraph
    }
    expect(parts.join('\n\n')).toBe(text);
  });

  it('cuts between words when a paragraph is longer than a message, and never inside an emoji', () => {
    const words = Array.from({ length: 1200 }, (_, i) => `كلمة${i}`).join(' ');
    const parts = splitText(words, TELEGRAM_TEXT_LIMIT);
    expect(parts.every((p) => p.length <= TELEGRAM_TEXT_LIMIT)).toBe(true);
    expect(parts.join(' ')).toBe(words);
    const emoji = '🌱'.repeat(3000); // 6000 UTF-16 units, no spaces
    const cut = splitText(emoji, TELEGRAM_TEXT_LIMIT);
    expect(cut.every((p) => p.length <= TELEGRAM_TEXT_LIMIT && !/[\uD800-\uDBFF]$/.test(p) && !/^[\uDC00-\uDFFF]/.test(p))).toBe(true);
    expect(cut.join('')).toBe(emoji);
  });

  it('callback data is short and opaque, whatever the choice value, and reads back', () => {
    const data = encodeCallbackData(Number.MAX_SAFE_INTEGER, 99);
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(CALLBACK_DATA_LIMIT);
    expect(decodeCallbackData(data)).toEqual({ messageId: Number.MAX_SAFE_INTEGER, index: 99 });
    expect(decodeCallbackData('flow:support-request')).toBeUndefined();
    expect(decodeCallbackData(undefined)).toBeUndefined();
  });

  it('choices become an inline keyboard: short labels two to a row, long ones clipped on their own row', () => {
    const long = 'أرغب في التحدث مع أحد موظفي الجمعية بخصوص طلب الدعم الذي قدمته الأسبوع الماضي لأن لدي سؤالًا مهمًا';
    const keyboard = inlineKeyboard(42, [
      { label: 'نعم', value: 'yes' },
      { label: 'لا', value: 'no' },
      { label: long, value: `place:${'x'.repeat(200)}` },
    ]);
    expect(keyboard.inline_keyboard.map((row) => row.length)).toEqual([2, 1]);
    const last = keyboard.inline_keyboard[1]![0] as { text: string; callback_data: string };
    expect(last.text.length).toBeLessThanOrEqual(64);
    expect(last.text.endsWith('…')).toBe(true);
    expect(last.callback_data).toBe(encodeCallbackData(42, 2));
  });

  it('an image goes by link with a short text as its caption, a long text after it', () => {
    const media = { kind: 'image' as const, url: 'https://chat.example.org/files/poster.jpg' };
    expect(renderOutbound({ id: 8, text: 'ملصق حملة التشجير', media, choices: [{ label: 'نعم', value: 'yes' }] })).toEqual([
      { method: 'sendPhoto', url: media.url, caption: 'ملصق حملة التشجير', reply_markup: inlineKeyboard(8, [{ label: 'نعم', value: 'yes' }]) },
    ]);
    const long = renderOutbound({ id: 9, text: 'ت'.repeat(2000), media: { kind: 'document', url: 'https://chat.example.org/files/guide.pdf' } });
    expect(long.map((p) => p.method)).toEqual(['sendDocument', 'sendMessage']);
  });

  it('a long message with choices puts the keyboard on its last part only', () => {
    const parts = renderOutbound({ id: 7, text: 'أ '.repeat(5000), choices: [{ label: 'القائمة', value: 'cmd:menu' }] });
    expect(parts.length).toBe(3);
    expect(parts.map((p) => p.reply_markup !== undefined)).toEqual([false, false, true]);
  });
});
