/**
 * The per-document functions of the string stages, as Spark defines them (ml/feature/Tokenizer.scala,
 * StopWordsRemover.scala, NGram.scala):
 *   - Tokenizer: `text.toLowerCase.split("\\s")` with Java's String.split (a leading empty token
 *     when the text starts with whitespace, trailing empty tokens removed, "" gives [""]);
 *   - RegexTokenizer: lower-case when toLowercase, then Java's Pattern.split (gaps) or every
 *     match (findAllIn), keeping tokens of at least minTokenLength UTF-16 units;
 *   - StopWordsRemover: drops the stop words, compared after toLowerCase(locale) unless
 *     caseSensitive;
 *   - NGram: the windows of n consecutive tokens joined by one space (none when fewer than n).
 * Java's regex dialect is read by V8's: `javaRegex` maps what differs — `\s`/`\S` (Java: the six
 * ASCII whitespace characters, V8: Unicode spaces too) and leading inline flags `(?i)`, `(?s)`,
 * `(?m)`, `(?u)`; `\p{…}` classes switch on V8's unicode mode. Possessive quantifiers, `\A`, `\Z`
 * and `\z` have no V8 form: such a pattern is an error naming it.
 */
import { Errors } from '../../../src/errors.js';

const JAVA_SPACE = ' \\t\\n\\x0B\\f\\r';

/** A V8 RegExp (global) for a Java regex, or an error naming the pattern. */
export function javaRegex(api: string, pattern: string): RegExp {
  let src = pattern;
  let flags = 'g';
  for (let m = /^\(\?([imsux]+)\)/.exec(src); m; m = /^\(\?([imsux]+)\)/.exec(src)) {
    for (const f of m[1]!) if (f === 'i' || f === 'm' || f === 's') flags += flags.includes(f) ? '' : f;
    src = src.slice(m[0].length);
  }
  if (/(^|[^\\])(\\\\)*\\[AZz]/.test(src) || /[*+?}]\+/.test(src.replace(/\\./g, ''))) {
    throw Errors.invalidArg(api, 'pattern', 'a regex without \\A, \\Z, \\z or possessive quantifiers (no JavaScript equivalent)', pattern);
  }
  // \s and \S as Java reads them, inside and outside character classes
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\' && i + 1 < src.length) {
      const d = src[i + 1]!;
      if (d === 's') out += inClass ? JAVA_SPACE : `[${JAVA_SPACE}]`;
      else if (d === 'S' && !inClass) out += `[^${JAVA_SPACE}]`;
      else out += c + d;
      i++;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    out += c;
  }
  if (/\\[pP]\{/.test(out)) flags += 'u';
  try {
    return new RegExp(out, flags);
  } catch (e) {
    throw Errors.invalidArg(api, 'pattern', `a valid regex (${(e as Error).message})`, pattern);
  }
}

/** Every match of `re` (global) in s, as Java's Matcher.find loop: an empty match steps one unit on. */
function* matches(re: RegExp, s: string): Generator<{ start: number; end: number }> {
  re.lastIndex = 0;
  for (;;) {
    const m = re.exec(s);
    if (!m) return;
    const start = m.index;
    const end = start + m[0].length;
    if (end === start) re.lastIndex = end + 1;
    yield { start, end };
    if (re.lastIndex > s.length) return;
  }
}

/** Java's Pattern.split(s) (limit 0): no leading empty token from an empty match at 0, trailing empty tokens removed. */
export function javaSplit(re: RegExp, s: string): string[] {
  const out: string[] = [];
  let index = 0;
  let any = false;
  for (const { start, end } of matches(re, s)) {
    if (start === 0 && end === 0) continue;
    any = true;
    out.push(s.slice(index, start));
    index = end;
  }
  if (!any) return [s];
  out.push(s.slice(index));
  let len = out.length;
  while (len > 0 && out[len - 1] === '') len--;
  out.length = len;
  return out;
}

/** Java's whitespace class as a non-global pattern, for String.prototype.split. */
const JAVA_WS_SPLIT = new RegExp(`[${JAVA_SPACE}]`);

/**
 * Spark's Tokenizer on one document. Splitting on a one-character class has no empty matches,
 * so JS's split agrees with Java's once trailing empty tokens are dropped ("" stays [""]).
 */
export function tokenize(text: string): string[] {
  const out = text.toLowerCase().split(JAVA_WS_SPLIT);
  let len = out.length;
  while (len > 0 && out[len - 1] === '') len--;
  if (len === 0 && text.length === 0) return [''];
  out.length = len;
  return out;
}

/** What RegexTokenizer needs on an executor (a RegExp is rebuilt there from its source). */
export interface RegexSpec {
  source: string;
  flags: string;
  gaps: boolean;
  minTokenLength: number;
  toLowercase: boolean;
}

/** Spark's RegexTokenizer on one document. */
export function regexTokenize(re: RegExp, spec: RegexSpec, text: string): string[] {
  const str = spec.toLowercase ? text.toLowerCase() : text;
  const tokens = spec.gaps ? javaSplit(re, str) : Array.from(matches(re, str), (m) => str.slice(m.start, m.end));
  return spec.minTokenLength > 0 ? tokens.filter((t) => t.length >= spec.minTokenLength) : tokens;
}

/**
 * The BCP 47 tag whose lower-casing matches Spark's `toLowerCase(new Locale(locale))`: Spark builds
 * the Locale from the whole name as a language, so 'tr' lower-cases the Turkish way but 'tr_TR'
 * (language "tr_tr") does not; any name with a country lower-cases as the root locale.
 */
export function localeTag(locale: string): string {
  return locale.includes('_') ? 'en' : locale;
}

/** Spark's StopWordsRemover filter over one token list (null tokens are kept). */
export function stopWordsFilter(stopWords: readonly string[], caseSensitive: boolean, locale: string): (terms: ReadonlyArray<string | null>) => Array<string | null> {
  if (caseSensitive) {
    const set = new Set(stopWords);
    return (terms) => terms.filter((s) => s === null || !set.has(s));
  }
  const tag = localeTag(locale);
  const lower = new Set(stopWords.map((w) => w.toLocaleLowerCase(tag)));
  return (terms) => terms.filter((s) => s === null || !lower.has(s.toLocaleLowerCase(tag)));
}

/** Spark's NGram over one token list (a null token reads "null", as Scala's mkString). */
export function ngrams(terms: ReadonlyArray<string | null>, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i + n <= terms.length; i++) out.push(terms.slice(i, i + n).map((t) => t ?? 'null').join(' '));
  return out;
}
