import React, { useRef } from 'react';
import { act, render, screen } from '@testing-library/react';
import { ElementSize, MeasuredBox, useElementSize } from './useElementSize';

/** A box whose size the test sets (jsdom has no layout), showing what the hook measured. */
function Probe({ size, box }: { size: ElementSize; box?: MeasuredBox }) {
  const ref = useRef<HTMLDivElement>(null);
  const measured = useElementSize(ref, { width: 800, height: 400 }, box);
  return (
    <div
      ref={(el) => {
        (ref as React.MutableRefObject<HTMLDivElement | null>).current = el;
        if (el) {
          Object.defineProperty(el, 'clientWidth', { configurable: true, get: () => size.width });
          Object.defineProperty(el, 'clientHeight', { configurable: true, get: () => size.height });
          el.getBoundingClientRect = () => ({ width: size.width * 2, height: size.height * 2 }) as DOMRect;
        }
      }}
    >
      {`${measured.width}x${measured.height}`}
    </div>
  );
}

describe('useElementSize', () => {
  const original = globalThis.ResizeObserver;
  let observed: Array<() => void> = [];
  beforeEach(() => {
    observed = [];
    globalThis.ResizeObserver = class {
      constructor(private readonly cb: () => void) {}
      observe() {
        observed.push(this.cb);
      }
      unobserve() {}
      disconnect() {
        observed = observed.filter((cb) => cb !== this.cb);
      }
    } as unknown as typeof ResizeObserver;
  });
  afterEach(() => {
    globalThis.ResizeObserver = original;
  });

  it('measures the element before the first paint, and again when it resizes', () => {
    const size = { width: 300, height: 200 };
    const { unmount } = render(<Probe size={size} />);
    expect(screen.getByText('300x200')).toBeInTheDocument();
    size.width = 640;
    act(() => observed.forEach((cb) => cb()));
    expect(screen.getByText('640x200')).toBeInTheDocument();
    unmount();
    expect(observed).toHaveLength(0);
  });

  it('keeps the initial size while the element has none, and measures the whole rectangle when asked', () => {
    const size = { width: 0, height: 0 };
    render(<Probe size={size} box="rect" />);
    expect(screen.getByText('800x400')).toBeInTheDocument();
    size.width = 100;
    size.height = 50;
    act(() => observed.forEach((cb) => cb()));
    expect(screen.getByText('200x100')).toBeInTheDocument();
  });
});
