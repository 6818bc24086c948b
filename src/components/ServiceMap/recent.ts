/**
 * A map that keeps only the `size` entries read or written last: the service map keeps the positions of its
 * last few views (up to 1,000 points each) so that going back to one does not reshuffle it, without growing
 * with every focus a user ever tries.
 */
export class RecentCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(readonly size: number) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      // A Map iterates in insertion order: moving the key to the end marks it used last.
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.size) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }
}
