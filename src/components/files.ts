/**
 * How long a saved file's object URL stays valid. The click only starts the download; Firefox and Safari
 * have cancelled large blob downloads whose URL was revoked right away, so it is revoked well after.
 */
export const REVOKE_AFTER_MS = 40_000;

/** Saves a Blob as a file named `fileName`: an object URL behind a download link, revoked later. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}
