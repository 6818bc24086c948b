import { REVOKE_AFTER_MS, saveBlob } from './files';

describe('saveBlob', () => {
  const createObjectURL = URL.createObjectURL;
  const revokeObjectURL = URL.revokeObjectURL;
  afterEach(() => {
    jest.useRealTimers();
    URL.createObjectURL = createObjectURL;
    URL.revokeObjectURL = revokeObjectURL;
  });

  it('clicks a download link to the Blob, and revokes its URL only once the download has had time', () => {
    jest.useFakeTimers();
    // jsdom has no object URLs; the link and its click are jsdom's own.
    const blob = new Blob(['a: 1\n'], { type: 'application/yaml' });
    URL.createObjectURL = jest.fn(() => 'blob:file-1');
    URL.revokeObjectURL = jest.fn();
    const clicked: Array<{ href: string; download: string; attached: boolean }> = [];
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement
    ) {
      clicked.push({ href: this.href, download: this.download, attached: document.body.contains(this) });
    });
    try {
      saveBlob(blob, 'datasource.yaml');
    } finally {
      click.mockRestore();
    }
    expect(URL.createObjectURL).toHaveBeenCalledWith(blob);
    expect(clicked).toEqual([{ href: 'blob:file-1', download: 'datasource.yaml', attached: true }]);
    expect(document.querySelector('a[download]')).toBeNull();
    jest.advanceTimersByTime(REVOKE_AFTER_MS - 1);
    expect(URL.revokeObjectURL).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:file-1');
    expect(REVOKE_AFTER_MS).toBeGreaterThanOrEqual(10_000);
  });
});
