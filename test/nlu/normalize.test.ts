import { normalize, normalizeLetters, toAsciiDigits } from '../../src/nlu/normalize';

describe('Arabic normalisation: each rule', () => {
  it.each([
    ['hamza forms of alef become bare alef', 'أحمد إسلام آمن ٱلبيت', 'احمد اسلام امن البيت'],
    ['alef maqsura becomes ya', 'مستشفى', 'مستشفي'],
    ['ta marbuta becomes ha', 'الجمعية', 'الجمعيه'],
    ['waw and ya with hamza lose the hamza', 'مسؤول وثائق', 'مسوول وثايق'],
    ['diacritics are removed', 'الأَوْرَاقُ المَطْلُوبَةُ', 'الاوراق المطلوبه'],
    ['tatweel is removed', 'الجمعـــــية', 'الجمعيه'],
    ['Persian kaf and ya become Arabic letters', 'کیف', 'كيف'],
    ['Latin letters are lower-cased', 'DOCUMENTS', 'documents'],
    ['invisible direction marks are removed', 'هلا\u200f\u200e', 'هلا'],
  ])('%s', (_rule, input, expected) => {
    expect(normalize(input)).toBe(expected);
  });

  it('maps Arabic-Indic and Persian digits to ASCII digits', () => {
    expect(toAsciiDigits('٠١٢٣٤٥٦٧٨٩')).toBe('0123456789');
    expect(toAsciiDigits('۰۱۲۳۴۵۶۷۸۹')).toBe('0123456789');
    expect(normalize('رقم طلبي ١٢٣۴')).toBe('رقم طلبي 1234');
  });

  it('shortens letters repeated three or more times (elongation), but keeps doubled letters', () => {
    expect(normalize('هلاااااا')).toBe('هلا');
    expect(normalize('شكرررررا')).toBe('شكرا');
    expect(normalize('too soon')).toBe('too soon');
  });

  it('turns Arabic and Latin punctuation and emoji into spaces', () => {
    expect(normalize('وش الاوراق؟؟ ،الشروط؛ (لو سمحت)!! 🌱')).toBe('وش الاوراق الشروط لو سمحت');
  });

  it('joins an apostrophe inside an English word instead of splitting it', () => {
    expect(normalize("I'm sure it hasn’t")).toBe('im sure it hasnt');
  });

  it('collapses spaces and trims', () => {
    expect(normalize('  وش   الشروط \n ')).toBe('وش الشروط');
  });

  it('keeps punctuation in the letters-only form (validators parse it)', () => {
    expect(normalizeLetters('٠٥٠-١٢٣')).toBe('050-123');
  });

  it('makes the many ways of writing one question identical', () => {
    const forms = ['ما هي الأوراق المطلوبة؟', 'ما هى الاوراق المطلوبه', 'مَا هِيَ الأَوْرَاقُ المَطْلُوبَة', 'ما هـي الاوراااق المطلوبة!!'];
    expect(new Set(forms.map(normalize)).size).toBe(1);
  });
});
