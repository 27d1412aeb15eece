import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { z } from 'zod';

/** A data file that failed validation: names the file, the path inside it, the line, and the reason. */
export class DataFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: { path: string; line?: number; reason: string }[],
  ) {
    super(
      problems
        .map((p) => `${file}${p.line ? `:${p.line}` : ''}: ${p.path || '(top level)'}: ${p.reason}`)
        .join('\n'),
    );
  }
}

export interface LoadedYaml<T> {
  data: T;
  /** Line of a path in the file, for cross-reference errors found after parsing. */
  lineOf: (pathInFile: (string | number)[]) => number | undefined;
  file: string;
}

/** Reads a YAML file and validates it against a zod schema, reporting problems with their line numbers. */
export function loadYaml<S extends z.ZodType>(file: string, schema: S, relativeTo = process.cwd()): LoadedYaml<z.output<S>> {
  const relative = path.relative(relativeTo, file);
  const shown = relative && !relative.startsWith('..') ? relative : file;
  const source = readFileSync(file, 'utf8');
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new DataFileError(
      shown,
      doc.errors.map((e) => ({ path: '', line: lineCounter.linePos(e.pos[0]).line, reason: `YAML syntax: ${e.message.split('\n')[0]}` })),
    );
  }
  const lineOf = (p: (string | number)[]): number | undefined => {
    for (let depth = p.length; depth >= 0; depth--) {
      const node = doc.getIn(p.slice(0, depth), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const parsed = schema.safeParse(doc.toJS());
  if (!parsed.success) {
    throw new DataFileError(
      shown,
      parsed.error.issues.map((issue) => {
        const p = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
        return { path: formatPath(p), line: lineOf(p), reason: issue.message };
      }),
    );
  }
  return { data: parsed.data, lineOf, file: shown };
}

export function formatPath(p: (string | number)[]): string {
  return p.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}
