import { useEffect, useState } from 'react';

import { computeLayout } from './computeLayout';
import type { LayoutInput, LayoutResult } from './types';

export interface LayoutState {
  layout?: LayoutResult;
  /** a layout for the current input is being computed; `layout` is still the previous one, if any */
  pending: boolean;
  error?: string;
}

interface Answer {
  input: LayoutInput;
  layout?: LayoutResult;
  error?: string;
}

/**
 * The layout of `input` (memoise it: a new object means a new layout). First version: computed on the main
 * thread after the render that asked for it.
 */
export function useLayout(input: LayoutInput | undefined): LayoutState {
  const [answer, setAnswer] = useState<Answer | undefined>(undefined);
  useEffect(() => {
    if (!input) {
      return;
    }
    let cancelled = false;
    const timer = setTimeout(() => {
      let next: Answer;
      try {
        next = { input, layout: computeLayout(input) };
      } catch (error) {
        next = { input, error: error instanceof Error ? error.message : String(error) };
      }
      if (!cancelled) {
        setAnswer(next);
      }
    }, 0);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [input]);
  if (!input) {
    return { pending: false };
  }
  const current = answer?.input === input;
  // While a new layout is computed the previous one stays on screen (its error does not).
  return { layout: answer?.layout, pending: !current, ...(current && answer?.error ? { error: answer.error } : {}) };
}
