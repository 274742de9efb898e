/**
 * Values from a file, as an error message shows them: short, and printable whatever the file holds.
 * A damaged or hostile file can put a megabyte string, a million-element array or JSON nested a
 * hundred thousand levels deep where a number was expected; the message must still be one readable
 * line, and building it must not throw (`JSON.stringify` of deep nesting overflows the stack).
 * No file access, so the browser entry shares it.
 * @module
 */

/** At most this many characters of a value from a file go into a message. */
export const MAX_SHOWN_CHARACTERS = 80;

/**
 * `text` cut to {@link MAX_SHOWN_CHARACTERS}, saying how long it was.
 *
 * @example
 * ```ts
 * shownText('x'.repeat(1000)); // 'xxx…xxx… (1000 characters)'
 * ```
 */
export function shownText(text: string): string {
  return text.length <= MAX_SHOWN_CHARACTERS ? text : `${text.slice(0, MAX_SHOWN_CHARACTERS)}… (${text.length} characters)`;
}

/**
 * A JSON value as short JSON text (see {@link shownText}); a value nested too deeply to print is
 * named as such instead.
 *
 * @example
 * ```ts
 * shownJson([6, 1, 5, 5]); // '[6,1,5,5]'
 * ```
 */
export function shownJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    return 'a value nested too deeply to print';
  }
  return shownText(text ?? String(value));
}
