// PUT of a body with XMLHttpRequest, the one browser API that reports upload progress. Resolves to
// the answer (status, body text, ETag) whatever its status; rejects only on a network failure or
// when aborted.

export interface XhrAnswer {
  readonly status: number;
  readonly text: string;
  readonly etag: string | null;
}

export interface XhrPutOptions {
  readonly headers?: Record<string, string>;
  /** Bytes of the body sent so far. */
  readonly onProgress?: (sentBytes: number) => void;
  readonly signal?: AbortSignal;
}

export class UploadAborted extends Error {
  constructor() {
    super('The upload was cancelled.');
  }
}

export function xhrPut(url: string, body: Blob, options: XhrPutOptions = {}): Promise<XhrAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      xhr.setRequestHeader(name, value);
    }
    xhr.upload.onprogress = (event) => options.onProgress?.(event.loaded);
    xhr.onload = () =>
      resolve({ status: xhr.status, text: xhr.responseText, etag: xhr.getResponseHeader('etag') });
    xhr.onerror = () => reject(new TypeError('The connection to the server was lost.'));
    xhr.onabort = () => reject(new UploadAborted());
    if (options.signal?.aborted === true) {
      reject(new UploadAborted());
      return;
    }
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}
