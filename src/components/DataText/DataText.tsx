import React from 'react';

/*
 * Text from a trace (span, service, event and attribute names and values, IDs) is attacker-controlled, and
 * may hold Unicode's bidirectional controls: a right-to-left override (U+202E) in a service name would
 * otherwise reverse the UI text that follows it on the line ("Resource ((2) (service"). Every data string is
 * rendered through DataText, a <bdi> (`unicode-bidi: isolate`, direction from its own first strong
 * character), so what it holds reorders only itself. Strings that cannot be elements (tooltips) go through
 * isolate(), the same in characters.
 */

/** Unicode's explicit bidirectional formatting characters. */
export const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

const OPENS_EMBEDDING = /[\u202A\u202B\u202D\u202E]/; // LRE RLE LRO RLO, closed by PDF
const OPENS_ISOLATE = /[\u2066\u2067\u2068]/; // LRI RLI FSI, closed by PDI
const PDF = '\u202C';
const PDI = '\u2069';

/**
 * The text without closing controls that close nothing inside it: a stray pop-directional-isolate (U+2069)
 * would end the isolate around the text early and let what follows leak out, so it is dropped (and a stray
 * U+202C likewise). Openers left open are harmless: the isolate ends them.
 */
export function balanceBidi(text: string): string {
  if (!BIDI_CONTROLS.test(text)) {
    return text;
  }
  const open: string[] = []; // 'e' for an embedding or override, 'i' for an isolate
  let out = '';
  for (const ch of text) {
    if (OPENS_EMBEDDING.test(ch)) {
      open.push('e');
    } else if (OPENS_ISOLATE.test(ch)) {
      open.push('i');
    } else if (ch === PDI) {
      const at = open.lastIndexOf('i');
      if (at < 0) {
        continue;
      }
      open.length = at; // a PDI also ends the embeddings opened inside its isolate
    } else if (ch === PDF) {
      if (open.length === 0 || open[open.length - 1] !== 'e') {
        continue;
      }
      open.pop();
    }
    out += ch;
  }
  return out;
}

/** A data string for plain-text places (a title, a tooltip): first-strong isolate ... pop isolate. */
export function isolate(text: string): string {
  return `\u2068${balanceBidi(text)}\u2069`;
}

interface Props {
  children: string;
  className?: string;
  title?: string;
  /** lets a long dotted name (an attribute key) wrap after its dots, slashes and underscores, not mid-word */
  breakAtPunctuation?: boolean;
  'data-testid'?: string;
}

/** One data string, isolated from the text around it (see the top of this file). */
export function DataText({ children, className, title, breakAtPunctuation, 'data-testid': testId }: Props) {
  const text = balanceBidi(children);
  return (
    <bdi className={className} title={title} data-testid={testId}>
      {breakAtPunctuation ? withBreaks(text) : text}
    </bdi>
  );
}

/** The text with a <wbr> after each . / _ - or : followed by more text (a break opportunity, no character). */
function withBreaks(text: string): React.ReactNode {
  const parts = text.split(/(?<=[./_:-])(?=.)/);
  return parts.length === 1
    ? text
    : parts.map((part, i) => (
        <React.Fragment key={i}>
          {i > 0 && <wbr />}
          {part}
        </React.Fragment>
      ));
}
