/** Why a request got no HTTP answer, read from Node's error and its `cause` chain (fetch says only "fetch failed"). */
export type NetworkReason = 'refused' | 'dns' | 'tls' | 'reset' | 'connect-timeout';

export interface NetworkCause {
  reason?: NetworkReason;
  /** The error codes found (ECONNREFUSED, ENOTFOUND, ERR_SSL_..., UND_ERR_...), outermost first. */
  codes: string[];
  /** The messages along the chain, joined. */
  text: string;
}

/**
 * The codes and messages along an error's `cause` chain, and what they mean. A transport that wrapped the error
 * (an HttpError `network` from `send`) keeps the code only in its message, "... (ECONNREFUSED)": read too.
 */
export function networkCause(e: unknown): NetworkCause {
  const codes: string[] = [];
  const texts: string[] = [];
  let current: unknown = e;
  for (let depth = 0; current && depth < 5; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string') {
      codes.push(code);
    }
    if (typeof message === 'string') {
      texts.push(message);
    }
    current = cause;
  }
  // URLs in a message (a host named tls-gateway, a path) say nothing about the failure: read the words without them.
  const words = texts.join(' ').replace(/\b[a-z][a-z0-9+.-]*:\/\/\S*/gi, ' ');
  for (const m of words.matchAll(/\b(E[A-Z]{3,}|(?:ERR|UND_ERR)_[A-Z_]+)\b/g)) {
    codes.push(m[1]);
  }
  const text = texts.join(': ');
  const has = (...names: string[]) => codes.some((c) => names.includes(c));
  const reason: NetworkReason | undefined = has('ECONNREFUSED')
    ? 'refused'
    : has('ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME')
      ? 'dns'
      : has('UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT')
        ? 'connect-timeout'
        : codes.some((c) => /SSL|TLS|CERT|SELF_SIGNED|EPROTO/.test(c)) ||
            // The words only when no code says anything (a browser or wrapper that kept just a message).
            (codes.length === 0 && /\b(ssl|tls|certificate)\b/i.test(words))
          ? 'tls'
          : has('ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE')
            ? 'reset'
            : undefined;
  return { reason, codes, text };
}
