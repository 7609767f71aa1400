/**
 * Go's order of strings (`<`, sort.Strings): by their UTF-8 bytes. JavaScript's default order
 * compares UTF-16 code units, which differs for characters beyond U+FFFF against U+E000–U+FFFF;
 * every order Helm writes (map keys in YAML and JSON, walk order, annotations) is Go's.
 */
export function compareBytewise(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
