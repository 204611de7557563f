// Downloads that stream to disk. A plain link does when the API needs no key; with a key, which
// cannot ride on a link, the interface asks the server for a short-lived signed link to that
// version (POST …/download-link) and follows it, so the browser still streams the file to disk
// rather than holding it in memory.

import type { TargetedMouseEvent } from 'preact';
import { showError } from '../alerts.js';
import { readApiKey } from './api-key.js';
import { requestJson, withQuery } from './api-client.js';
import type { DownloadLinkJson } from './api-types.js';

/**
 * The click handler of a download link to `fileHref` (`…/files/{name}`), version `version`:
 * leaves the link alone without a key, else follows a signed link in its place.
 */
export function downloadWithKey(
  event: TargetedMouseEvent<HTMLAnchorElement>,
  fileHref: string,
  name: string,
  version: number,
): void {
  if (readApiKey() === undefined) return;
  event.preventDefault();
  void (async () => {
    try {
      const link = await requestJson<DownloadLinkJson>(
        'POST',
        withQuery(`${fileHref}/download-link`, { version }),
      );
      const anchor = document.createElement('a');
      anchor.href = link.url;
      anchor.download = name;
      anchor.click();
    } catch (error) {
      showError(error);
    }
  })();
}
