import { computeLayout } from './computeLayout';
import type { LayoutInput, LayoutResult } from './types';

/** What useLayout posts to the layout worker, and what comes back (matched by id: a newer request wins). */
export interface LayoutRequest {
  id: number;
  input: LayoutInput;
}

export type LayoutReply = { id: number; layout: LayoutResult } | { id: number; error: string };

export function answerLayoutRequest(request: LayoutRequest): LayoutReply {
  try {
    return { id: request.id, layout: computeLayout(request.input) };
  } catch (error) {
    return { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
}
