/**
 * Arabic typed in Latin letters, with digits for the sounds Latin lacks ("5adamatkm", "t7mon",
 * "3ndkom"): the Arabic spellings such a word may stand for, for the lexicon to look up. Which letters
 * stand for what is data (lexicon.yaml `arabizi`); this module only spells.
 */
export interface ArabiziRules {
  /** Latin letters or groups ("sh", "3") -> the Arabic letters they may stand for, most likely first. */
  letters: Record<string, string[]>;
  /** Letters that may be a short vowel, which Arabic does not write ("5adamat" is "خدمات"). */
  shortVowels: string[];
}

/** At most this many spellings per word (a long word with many vowels has thousands), the likeliest kept. */
const MAX_SPELLINGS = 128;

/** Whether a (normalised) word is Arabizi: Latin letters with at least one digit that stands for a letter. */
export function looksArabizi(word: string, rules: ArabiziRules): boolean {
  return /^[a-z0-9]+$/.test(word) && /[a-z]/.test(word) && [...word].some((c) => /\d/.test(c) && c in rules.letters);
}

/**
 * The Arabic spellings of an Arabizi word in groups, likeliest group first (each less likely reading of
 * a letter makes a spelling less likely); empty when a character has no reading. A vowel at the start of
 * a word is written (an alef: "ana" is "انا"); inside the word, a short vowel may be written or not, and
 * nothing says which ("5adamatkm" may be "خدماتكم" or "خادماتكم"), so both are in the same group.
 */
export function arabiziSpellings(word: string, rules: ArabiziRules): string[][] {
  const keys = Object.keys(rules.letters).sort((a, b) => b.length - a.length);
  const units: string[] = [];
  for (let at = 0; at < word.length; ) {
    const group = keys.find((g) => word.startsWith(g, at));
    if (!group) return [];
    units.push(group);
    at += group.length;
  }
  const vowels = new Set(rules.shortVowels);
  let spellings: { text: string; cost: number }[] = [{ text: '', cost: 0 }];
  units.forEach((unit, i) => {
    const readings = rules.letters[unit]!;
    const optional = vowels.has(unit) && i > 0 && i < units.length - 1;
    const next: { text: string; cost: number }[] = [];
    for (const s of spellings) {
      readings.forEach((r, k) => next.push({ text: s.text + r, cost: s.cost + k }));
      if (optional) next.push({ text: s.text, cost: s.cost });
    }
    spellings = next.sort((a, b) => a.cost - b.cost).slice(0, MAX_SPELLINGS);
  });
  const groups: string[][] = [];
  for (const s of spellings) {
    const group = groups[s.cost] ?? (groups[s.cost] = []);
    if (!group.includes(s.text)) group.push(s.text);
  }
  return groups.filter(Boolean);
}
