// The parts of the semver package (a devDependency, which ships no types) that the tests use.
declare module 'semver' {
  export function validRange(range: string): string | null;
  export function satisfies(version: string, range: string): boolean;
  const semver: { validRange: typeof validRange; satisfies: typeof satisfies };
  export default semver;
}
