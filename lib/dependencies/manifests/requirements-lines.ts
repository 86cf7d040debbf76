/** The line-level grammar of pip requirements files, following pip's own req_file.py steps. */

export interface LogicalLine {
  /** 1-based physical line where the logical line starts */
  line: number;
  text: string;
}

export interface OptionToken {
  name: string;
  value: string | null;
}

// pip: a comment starts at line start or after whitespace, so "url#sha256=..." keeps its fragment.
const COMMENT = /(^|\s+)#.*$/;
const COMMENT_LINE = /^\s*#/;

/**
 * Joins "\" continuations first and strips comments after, as pip does: a continued
 * `--hash=... \` line must not lose the next line to a comment test. A comment line never
 * continues, and a dangling "\" at the end of the file just ends the line.
 */
export function logicalLines(content: string): LogicalLine[] {
  const physical = content.split(/\r\n|\r|\n/);
  const joined: LogicalLine[] = [];
  let pending: LogicalLine | null = null;
  physical.forEach((raw, index) => {
    const continues = raw.endsWith("\\") && !COMMENT_LINE.test(raw);
    const piece = continues ? raw.replace(/^\\+|\\+$/g, "") : COMMENT_LINE.test(raw) ? ` ${raw}` : raw;
    if (pending) pending.text += piece;
    else pending = { line: index + 1, text: piece };
    if (!continues) {
      joined.push(pending);
      pending = null;
    }
  });
  if (pending) joined.push(pending);
  return joined
    .map(({ line, text }) => ({ line, text: text.replace(COMMENT, "").trim() }))
    .filter(({ text }) => text !== "");
}

/** pip's break_args_options: the requirement runs until the first token that starts with "-". */
export function splitRequirementAndOptions(text: string): { requirement: string; options: string } {
  const match = /(^|\s)-/.exec(text);
  if (!match) return { requirement: text.trim(), options: "" };
  const start = match.index + match[1]!.length;
  return { requirement: text.slice(0, start).trim(), options: text.slice(start).trim() };
}

/** Whitespace split honouring simple quotes, enough for pip's shlex use on option text. */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const match of text.matchAll(pattern)) words.push(match[1] ?? match[2] ?? match[3] ?? "");
  return words;
}

// Options that take a value; short forms may have it attached ("-rbase.txt").
const VALUED = new Set([
  "-r",
  "--requirement",
  "-c",
  "--constraint",
  "-e",
  "--editable",
  "-i",
  "--index-url",
  "--extra-index-url",
  "-f",
  "--find-links",
  "--trusted-host",
  "--no-binary",
  "--only-binary",
  "--use-feature",
  "--config-settings",
  "--global-option",
  "--install-option",
  "--hash",
]);

/** Splits option text into name/value pairs; a valued option without a value gets value null. */
export function optionTokens(text: string): OptionToken[] {
  const words = shellWords(text);
  const tokens: OptionToken[] = [];
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i]!;
    const equals = word.indexOf("=");
    if (word.startsWith("--") && equals > 0) {
      tokens.push({ name: word.slice(0, equals), value: word.slice(equals + 1) });
    } else if (/^-[a-zA-Z]./.test(word) && VALUED.has(word.slice(0, 2))) {
      tokens.push({ name: word.slice(0, 2), value: word.slice(2).replace(/^=/, "") });
    } else if (VALUED.has(word)) {
      const value = words[i + 1];
      tokens.push({ name: word, value: value ?? null });
      if (value !== undefined) i += 1;
    } else {
      tokens.push({ name: word, value: null });
    }
  }
  return tokens;
}

/** pip expands only ${NAME} with upper-case letters, digits and underscores. */
export function environmentVariables(text: string): string[] {
  return [...text.matchAll(/\$\{([A-Z0-9_]+)\}/g)].map((m) => m[1] ?? "");
}
