/**
 * jsdom has no layout: give every element a size, and scrollTo a scrollTop, so that virtualised lists
 * render rows in component tests. Call at the top of a test file; it restores the mocks after.
 */
export function withJsdomLayout({ width = 1000, height = 600 } = {}): void {
  beforeAll(() => {
    jest.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(height);
    jest.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(width);
    HTMLElement.prototype.scrollTo = function (this: HTMLElement, opts?: ScrollToOptions | number) {
      this.scrollTop = typeof opts === 'object' ? (opts.top ?? 0) : 0;
    };
  });
  afterAll(() => jest.restoreAllMocks());
}
