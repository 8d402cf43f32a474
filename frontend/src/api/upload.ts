// `POST /files` (§12.1) with upload progress and cancel: fetch cannot report upload
// progress, so this one call uses XMLHttpRequest. A 401 refreshes the tokens once
// (shared with the JSON client) and uploads again.
import { api, ApiError, tokens } from '.';
import type { UploadedFile } from './types';

const base: string = import.meta.env.VITE_API_BASE ?? '/api';

/** The person cancelled the upload (not an error to show). */
export class UploadCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'UploadCancelled';
  }
}

export interface UploadHandle {
  done: Promise<UploadedFile>;
  cancel(): void;
}

function errorText(xhr: XMLHttpRequest): string {
  try {
    const body = JSON.parse(xhr.responseText) as { error?: unknown };
    if (typeof body.error === 'string') return body.error;
  } catch {
    // not JSON (e.g. a bare 413 from the HTTP layer)
  }
  return xhr.statusText || `HTTP ${xhr.status}`;
}

export function uploadFile(file: Blob, filename: string, onProgress: (fraction: number) => void): UploadHandle {
  let current: XMLHttpRequest | null = null;
  let cancelled = false;

  function attempt(): Promise<{ status: number; xhr: XMLHttpRequest }> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      current = xhr;
      xhr.open('POST', `${base}/files`);
      const access = tokens.get()?.access;
      if (access) xhr.setRequestHeader('Authorization', `Bearer ${access}`);
      xhr.upload.onprogress = (ev) => {
        if (ev.lengthComputable && ev.total > 0) onProgress(ev.loaded / ev.total);
      };
      xhr.onload = () => resolve({ status: xhr.status, xhr });
      xhr.onerror = () => reject(new ApiError(0, 'Network error'));
      xhr.onabort = () => reject(new UploadCancelled());
      const form = new FormData();
      form.append('file', file, filename);
      xhr.send(form);
    });
  }

  const done = (async () => {
    let answer = await attempt();
    if (answer.status === 401 && !cancelled && (await api.refresh())) answer = await attempt();
    if (cancelled) throw new UploadCancelled();
    if (answer.status < 200 || answer.status >= 300) throw new ApiError(answer.status, errorText(answer.xhr));
    onProgress(1);
    return JSON.parse(answer.xhr.responseText) as UploadedFile;
  })();

  return {
    done,
    cancel() {
      cancelled = true;
      current?.abort();
    },
  };
}
