// Uploads in progress and done: per file a progress bar (role="progressbar" with its value),
// speed, time left, "Cancel", and at the end the SHA-256 the server computed.

import { useRef, useState } from 'preact/hooks';
import { messageOf } from '../api/api-client.js';
import type { FileJson } from '../api/api-types.js';
import { showError } from '../alerts.js';
import { formatBytes, formatDuration } from '../format.js';
import type { DirectUploadProgress } from '../upload/direct-upload.js';
import { TransferMeter } from '../upload/transfer-meter.js';
import { uploadFile } from '../upload/upload-file.js';
import { UploadAborted } from '../upload/xhr-put.js';
import { Sha256 } from './sha256.js';

export interface Upload {
  readonly id: number;
  readonly name: string;
  readonly size: number;
  readonly sent: number;
  readonly bytesPerSecond: number;
  readonly secondsLeft: number;
  readonly state: 'uploading' | 'done' | 'failed' | 'cancelled';
  /** For an upload in parts (S3): how many the store holds, and how many it held at the start. */
  readonly parts?: DirectUploadProgress;
  readonly sha256?: string;
  readonly error?: string;
  readonly cancel: () => void;
}

let nextId = 1;

export function useUploads(ownerPath: string, onUploaded: (stored: FileJson) => void) {
  const [items, setItems] = useState<readonly Upload[]>([]);
  const latest = useRef(items);
  const update = (id: number, change: Partial<Upload>) => {
    latest.current = latest.current.map((u) => (u.id === id ? { ...u, ...change } : u));
    setItems(latest.current);
  };

  const startOne = (file: File) => {
    const id = nextId++;
    const controller = new AbortController();
    const meter = new TransferMeter(file.size);
    const upload: Upload = {
      id,
      name: file.name,
      size: file.size,
      sent: 0,
      bytesPerSecond: 0,
      secondsLeft: Infinity,
      state: 'uploading',
      cancel: () => controller.abort(),
    };
    latest.current = [...latest.current, upload];
    setItems(latest.current);
    uploadFile(ownerPath, file, {
      signal: controller.signal,
      onProgress: (sent, parts) =>
        update(id, { sent, parts, ...meter.sample(sent, performance.now()) }),
    }).then(
      (stored) => {
        update(id, { state: 'done', sent: file.size, sha256: stored.sha256 });
        onUploaded(stored);
      },
      (error: unknown) => {
        if (error instanceof UploadAborted) {
          update(id, { state: 'cancelled' });
          return;
        }
        update(id, { state: 'failed', error: messageOf(error) });
        showError(error);
      },
    );
  };

  return { items, start: (files: readonly File[]) => files.forEach(startOne) };
}

export function UploadList(props: { uploads: readonly Upload[] }) {
  if (props.uploads.length === 0) return null;
  return (
    <ul class="uploads" aria-label="Uploads">
      {props.uploads.map((upload) => (
        <UploadItem key={upload.id} upload={upload} />
      ))}
    </ul>
  );
}

function UploadItem(props: { upload: Upload }) {
  const { upload } = props;
  const percent = upload.size === 0 ? 100 : Math.floor((upload.sent / upload.size) * 100);
  return (
    <li class={`upload ${upload.state}`}>
      <div class="upload-line">
        <strong>{upload.name}</strong>
        <span>
          {formatBytes(upload.sent)} of {formatBytes(upload.size)}
        </span>
        {upload.state === 'uploading' && (
          <>
            <span>{formatBytes(upload.bytesPerSecond)}/s</span>
            <span>{formatDuration(upload.secondsLeft)} left</span>
            <button
              type="button"
              class="secondary"
              onClick={upload.cancel}
              aria-label={`Cancel upload of ${upload.name}`}
            >
              Cancel
            </button>
          </>
        )}
      </div>
      <progress
        max={100}
        value={percent}
        aria-label={`Upload of ${upload.name}`}
        aria-valuetext={`${percent}%`}
      />
      {upload.parts !== undefined && (
        <p class="parts" data-parts-stored={upload.parts.partsStored}>
          {upload.parts.partsStored} of {upload.parts.partCount} parts stored
          {upload.parts.partsResumed > 0 &&
            ` (resumed: ${upload.parts.partsResumed} were already stored)`}
        </p>
      )}
      {upload.state === 'done' && upload.sha256 !== undefined && (
        <p class="upload-done">
          Uploaded. SHA-256 <Sha256 value={upload.sha256} />
        </p>
      )}
      {upload.state === 'cancelled' && <p>Cancelled.</p>}
      {upload.state === 'failed' && <p class="field-error">{upload.error}</p>}
    </li>
  );
}
