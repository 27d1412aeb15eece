import { COMMAND_NAMES, GREETING_KINDS, type CommandName, type GreetingKind, type Vocabulary } from '../engine/schema';
import { normalize } from './normalize';

// Politeness around a command ("لو سمحت", "please") does not change it.
const POLITE = /^(?:(?:يا |لو سمحت |please |pls )+)|(?:(?: لو سمحت| لو سمحتي| please| pls| الله يعافيك| الله يسعدك)+)$/g;

function strip(text: string): string {
  return normalize(text).replace(POLITE, '').trim();
}

/** Recognises global commands and yes/no answers in a whole message, in either language. */
export class VocabularyMatcher {
  private readonly commands = new Map<string, CommandName>();
  private readonly answers = new Map<string, boolean>();
  private readonly greetings: { kind: GreetingKind; phrases: string[]; pictures: string[] }[];

  constructor(vocabulary: Vocabulary) {
    for (const name of COMMAND_NAMES) {
      const { ar, en } = vocabulary.commands[name];
      for (const phrase of [...ar, ...en]) this.commands.set(normalize(phrase), name);
    }
    for (const [value, phrases] of [[true, vocabulary.answers.yes], [false, vocabulary.answers.no]] as const) {
      for (const phrase of [...phrases.ar, ...phrases.en]) this.answers.set(normalize(phrase), value);
    }
    this.greetings = GREETING_KINDS.map((kind) => {
      const said = vocabulary.greetings?.[kind];
      const all = said ? [...said.ar, ...said.en] : [];
      const normal = all.map((p) => normalize(p));
      // A pictograph ("🙏") has no letters for normalisation to keep: it is looked for as written.
      return { kind, phrases: normal.filter(Boolean).map((p) => ` ${p} `), pictures: all.filter((_, i) => !normal[i]) };
    });
  }

  /** The command a whole message is, if any. */
  command(text: string): CommandName | undefined {
    const key = strip(text);
    return key ? this.commands.get(key) : undefined;
  }

  /** What a greeting says (salam, good morning, goodbye, thanks...), when one of its phrases is in the message as whole words. */
  greetingKind(text: string): GreetingKind | undefined {
    const padded = ` ${normalize(text)} `;
    return this.greetings.find((g) => g.phrases.some((p) => padded.includes(p)) || g.pictures.some((p) => text.includes(p)))?.kind;
  }

  /** true for yes, false for no, undefined when the message is neither. */
  yesNo(text: string): boolean | undefined {
    return this.answers.get(strip(text));
  }
}
