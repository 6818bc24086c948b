/**
 * The one order of names (services, operations, span names, attribute values) in every table: as people read
 * them, case aside and numbers by value ("t9" before "t10", "api" next to "Api"). The locale is fixed so that the
 * order does not depend on the browser's language.
 */
const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/**
 * Compares two names: case-insensitively with numbers by value (`Intl.Collator`, numeric), then, for names that
 * differ only in case or accents, by their exact text, so that the order is total and never depends on the input.
 */
export function compareNames(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
