import React from 'react';
import { render, screen, within } from '@testing-library/react';
import { AttributeList } from './SpanAttributes';
import { linkTarget, safeHttpUrl } from './links';
import { testIds } from '../testIds';

describe('linkTarget', () => {
  it.each([
    // [value, href, host, whether the text alone shows the host]
    ['https://grafana.com/docs/tempo/', 'https://grafana.com/docs/tempo/', 'grafana.com', true],
    ['HTTPS://Grafana.com', 'https://grafana.com/', 'grafana.com', true],
    ['http://tempo:3200/api?q=1', 'http://tempo:3200/api?q=1', 'tempo:3200', true],
    // user@host: the text names one host, the link goes to another; the user name is dropped
    ['https://grafana.com@evil.example/', 'https://evil.example/', 'evil.example', false],
    ['https://grafana.com:443@evil.example/', 'https://evil.example/', 'evil.example', false],
    ['https://user:secret@grafana.com/', 'https://grafana.com/', 'grafana.com', false],
    // a backslash is a slash to the URL parser
    ['https://evil.example\\@grafana.com/', 'https://evil.example/@grafana.com/', 'evil.example', false],
    // escapes and look-alike letters
    ['https://%65vil.example/', 'https://evil.example/', 'evil.example', false],
    ['https://gr\u0430fana.com/', 'https://xn--grfana-4nf.com/', 'xn--grfana-4nf.com', false],
    // reversed text
    ['https://evil.example/\u202Emoc.anafarg', 'https://evil.example/%E2%80%AEmoc.anafarg', 'evil.example', false],
  ])('%j', (value, href, host, textShowsHost) => {
    expect(linkTarget(value)).toEqual({ href, host, textShowsHost });
    expect(safeHttpUrl(value)).toBe(href);
  });

  it.each(['javascript:alert(1)', 'data:text/html,x', '/relative', 'ftp://x.example/', 'https://', 'http://[::1'])(
    '%j is not a link',
    (value) => {
      expect(linkTarget(value)).toBeNull();
    }
  );
});

describe('attribute links', () => {
  const attrs = [
    { key: 'good', type: 'string' as const, value: 'https://grafana.com/docs/' },
    { key: 'spoofed', type: 'string' as const, value: 'https://grafana.com@evil.example/login' },
    { key: 'reversed', type: 'string' as const, value: 'https://evil.example/\u202Emoc.anafarg' },
  ];

  it('show the host a link really goes to when its text does not, and never send the user name', () => {
    render(<AttributeList scope="span" attributes={attrs} />);
    const row = (key: string) => screen.getByTestId(testIds.waterfall.attribute('span', key));

    const good = within(row('good')).getByRole('link');
    expect(good).toHaveAttribute('href', 'https://grafana.com/docs/');
    expect(row('good')).toHaveTextContent(/^good\s*https:\/\/grafana\.com\/docs\/$/);

    const spoofed = within(row('spoofed')).getByRole('link');
    expect(spoofed).toHaveAttribute('href', 'https://evil.example/login');
    expect(spoofed).toHaveTextContent('https://grafana.com@evil.example/login');
    expect(row('spoofed')).toHaveTextContent('https://grafana.com@evil.example/login (evil.example)');
    expect(within(row('spoofed')).getByTitle('The link goes to evil.example')).toBeInTheDocument();

    expect(within(row('reversed')).getByRole('link')).toHaveAttribute(
      'href',
      'https://evil.example/%E2%80%AEmoc.anafarg'
    );
    expect(row('reversed')).toHaveTextContent('(evil.example)');
    // the reversed text is isolated: it cannot reorder the host after it
    expect(within(row('reversed')).getByRole('link').querySelector('bdi')).not.toBeNull();
  });
});
