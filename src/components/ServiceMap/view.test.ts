/**
 * @jest-environment node
 */
import { safeLink } from './view';

const origin = 'https://grafana.example:3000';

describe('safeLink', () => {
  it('keeps app paths on the origin and absolute http(s) links', () => {
    expect(safeLink('/a/traceway-explorer-app/search?service=api', origin)).toBe(
      '/a/traceway-explorer-app/search?service=api'
    );
    expect(safeLink('/explore?left=%7B%22a%22%3A1%7D', origin)).toBe('/explore?left=%7B%22a%22%3A1%7D');
    expect(safeLink('https://docs.example/x?y=1', origin)).toBe('https://docs.example/x?y=1');
    expect(safeLink('http://docs.example', origin)).toBe('http://docs.example/');
  });

  it('drops scripts, data, other schemes and relative links that are not app paths', () => {
    for (const href of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'data:text/html,x',
      'ftp://x.example/',
      'a/b',
      '?q=1',
      '',
    ]) {
      expect(safeLink(href, origin)).toBeUndefined();
    }
  });

  it('drops protocol-relative links, also when a tab, newline or control character hides the second slash', () => {
    for (const href of [
      '//evil.example/x',
      '/\\evil.example/x',
      '/\t/evil.example/x',
      '/\n/evil.example/x',
      '/\r\n/evil.example',
      '/\u0000/evil.example',
      '/\u001f/evil.example',
      '/ /evil.example',
      '/\u00a0/evil.example',
      '/\u2028/evil.example',
      'java\tscript:alert(1)',
      ' javascript:alert(1)',
    ]) {
      expect(safeLink(href, origin)).toBeUndefined();
    }
  });

  it('reads the page origin when none is given', () => {
    expect(safeLink('/a/x')).toBe('/a/x');
    expect(safeLink('/\t/evil.example')).toBeUndefined();
  });
});
