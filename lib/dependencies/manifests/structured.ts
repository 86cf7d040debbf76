/** Parsing TOML/JSON documents without ever throwing, and finding entries' lines in raw text. */
import { parse as parseToml, TomlError } from "smol-toml";
import { isRecord } from "./dependency";

export type Parsed = { ok: true; value: Record<string, unknown> } | { ok: false; line: number | null; message: string };

/** 1-based line of a character offset. */
export function lineOfOffset(content: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < content.length; i += 1) if (content.charCodeAt(i) === 10) line += 1;
  return line;
}

export function parseTomlDocument(content: string): Parsed {
  try {
    const value: unknown = parseToml(content);
    return isRecord(value) ? { ok: true, value } : { ok: false, line: null, message: "TOML document is not a table" };
  } catch (error) {
    const line = error instanceof TomlError ? error.line : null;
    const first = error instanceof Error ? (error.message.split("\n")[0] ?? "") : "";
    return { ok: false, line, message: `invalid TOML: ${first}` };
  }
}

export function parseJsonDocument(content: string): Parsed {
  try {
    const value: unknown = JSON.parse(content);
    return isRecord(value) ? { ok: true, value } : { ok: false, line: null, message: "JSON document is not an object" };
  } catch (error) {
    // V8 quotes a slice of the input after "Unexpected token"; the review page needs only the token.
    const message =
      error instanceof Error ? error.message.replace(/, (\.\.\.)?".*" is not valid JSON$/s, "") : "unreadable";
    // Some V8 messages end "at position N": turn that into a line the reviewer can find.
    const position = /position (\d+)/.exec(message)?.[1];
    return {
      ok: false,
      line: position === undefined ? null : lineOfOffset(content, Number(position)),
      message: `invalid JSON: ${message}`,
    };
  }
}

/**
 * Lines for formats whose parsers drop positions (TOML, JSON): the next occurrence of a needle
 * after the previous find, falling back to the first occurrence, since entries are read in
 * roughly document order.
 */
export class LineLocator {
  private cursor = 0;
  // Offsets where lines start, so each lookup is a binary search rather than a rescan.
  private readonly starts: number[] = [0];

  private readonly minified: boolean;

  constructor(private readonly content: string) {
    for (let i = 0; i < content.length; i += 1) if (content.charCodeAt(i) === 10) this.starts.push(i + 1);
    this.minified = content.length / this.starts.length > 400;
  }

  lineAt(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.starts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  }

  /** Next occurrence anywhere in a line. */
  find(needle: string): number | null {
    return this.search(needle, false);
  }

  /** Next occurrence that starts its line (after indentation), e.g. a TOML key rather than a mention. */
  findKey(needle: string): number | null {
    // Minified files have no line-start keys (and looking for one would rescan the whole line).
    return this.search(needle, !this.minified);
  }

  private search(needle: string, lineStart: boolean): number | null {
    if (needle === "") return null;
    const at = this.occurrence(needle, this.cursor, lineStart) ?? this.occurrence(needle, 0, lineStart);
    if (at === null) return null;
    this.cursor = at + needle.length;
    return this.lineAt(at);
  }

  private occurrence(needle: string, from: number, lineStart: boolean): number | null {
    for (let at = this.content.indexOf(needle, from); at >= 0; at = this.content.indexOf(needle, at + 1)) {
      if (!lineStart || this.startsLine(at)) return at;
    }
    return null;
  }

  /** Only indentation before `at` on its line; scans backwards so minified one-line files stay cheap. */
  private startsLine(at: number): boolean {
    for (let i = at - 1; i >= 0; i -= 1) {
      const code = this.content.charCodeAt(i);
      if (code === 10) return true;
      if (code !== 32 && code !== 9 && code !== 13) return false;
    }
    return true;
  }
}
