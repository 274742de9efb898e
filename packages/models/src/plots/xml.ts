/**
 * Escape text for SVG/XML content and attribute values: `&`, `<`, `>`, `"` and `'`.
 *
 * @example
 * ```ts
 * escapeXml('T-shirt & <top>'); // 'T-shirt &amp; &lt;top&gt;'
 * ```
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => {
    switch (character) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      default:
        return '&apos;';
    }
  });
}
