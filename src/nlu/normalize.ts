/**
 * Arabic normalisation before any matching. People write the same word many ways (أ/ا/إ, ى/ي, ة/ه,
 * with or without diacritics, Arabic-Indic digits, "هلااا"); matching sees one form.
 */

const DIACRITICS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E8\u06EA-\u06ED]/g;
const TATWEEL = /\u0640/g;
const ALEF_FORMS = /[\u0622\u0623\u0625\u0671\u0672\u0673]/g; // آ أ إ ٱ ٲ ٳ
const ALEF_MAQSURA = /\u0649/g; // ى
const TA_MARBUTA = /\u0629/g; // ة
const WAW_HAMZA = /\u0624/g; // ؤ
const YA_HAMZA = /\u0626/g; // ئ
const PERSIAN_KAF = /\u06A9/g; // ک
const PERSIAN_YA = /[\u06CC\u06D0]/g; // ی ې
const INVISIBLES = /[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;
// An apostrophe inside a word joins it ("i'm" -> "im", "haven't" -> "havent"), it does not split it.
const APOSTROPHE = /(\p{L})['\u2019\u02BC](\p{L})/gu;
// Arabic and Latin punctuation, symbols and emoji become spaces; letters, digits and spaces stay.
const PUNCTUATION = /[^\p{L}\p{N}\s]/gu;
// Three or more of the same letter is elongation ("هلااا", "شكرررا"); Arabic words never need it.
const ELONGATION = /(\p{L})\1{2,}/gu;

/** Maps Arabic-Indic (٠-٩) and Persian (۰-۹) digits to ASCII. */
export function toAsciiDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => {
    const code = d.charCodeAt(0);
    return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
  });
}

/** The letter-level rules only: keeps punctuation and spacing (for validators that parse text). */
export function normalizeLetters(text: string): string {
  return toAsciiDigits(text.normalize('NFKC'))
    .replace(INVISIBLES, '')
    .replace(DIACRITICS, '')
    .replace(TATWEEL, '')
    .replace(ALEF_FORMS, 'ا')
    .replace(ALEF_MAQSURA, 'ي')
    .replace(TA_MARBUTA, 'ه')
    .replace(WAW_HAMZA, 'و')
    .replace(YA_HAMZA, 'ي')
    .replace(PERSIAN_KAF, 'ك')
    .replace(PERSIAN_YA, 'ي')
    .toLowerCase();
}

/** Full normalisation for matching: letters, digits, elongation, punctuation, whitespace. */
export function normalize(text: string): string {
  return normalizeLetters(text).replace(APOSTROPHE, '$1$2').replace(PUNCTUATION, ' ').replace(ELONGATION, '$1').replace(/\s+/g, ' ').trim();
}

/** Rough language guess for a message: Arabic when it has any Arabic letter. */
export function looksArabic(text: string): boolean {
  return /[\u0600-\u06FF]/.test(text);
}
