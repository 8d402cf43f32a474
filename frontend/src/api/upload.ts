// `POST /files` (§12.1) with upload progress and cancel: fetch cannot report upload
// progress, so this one call uses XMLHttpRequest. A 401 refreshes the tokens once
// (shared with the JSON client) and uploads again. In the desktop app an XHR to the
// server would be a cross-origin request, so it goes through the app's fetch
// (no progress: 0 until done).
import { apiBase, apiFetch, serverAddress } from '../platform/server';
import { api, ApiError, tokens } from '.';
import type { UploadedFile } from './types';

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
  if (serverAddress()) return uploadByFetch(file, filename, onProgress);
  let current: XMLHttpRequest | null = null;
  let cancelled = false;

  function attempt(): Promise<{ status: number; xhr: XMLHttpRequest }> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      current = xhr;
      xhr.open('POST', `${apiBase()}/files`);
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

function uploadByFetch(file: Blob, filename: string, onProgress: (fraction: number) => void): UploadHandle {
  const abort = new AbortController();
  async function attempt(): Promise<Response> {
    const form = new FormData();
    form.append('file', file, filename);
    const access = tokens.get()?.access;
    try {
      return await apiFetch(`${apiBase()}/files`, {
        method: 'POST',
        headers: access ? { Authorization: `Bearer ${access}` } : {},
        body: form,
        signal: abort.signal,
      });
    } catch {
      throw abort.signal.aborted ? new UploadCancelled() : new ApiError(0, 'Network error');
    }
  }
  const done = (async () => {
    onProgress(0);
    let r = await attempt();
    if (r.status === 401 && (await api.refresh())) r = await attempt();
    if (!r.ok) {
      const text = await r.text();
      let error = r.statusText || `HTTP ${r.status}`;
      try {
        const body = JSON.parse(text) as { error?: unknown };
        if (typeof body.error === 'string') error = body.error;
      } catch {
        // not JSON
      }
      throw new ApiError(r.status, error);
    }
    onProgress(1);
    return (await r.json()) as UploadedFile;
  })();
  return { done, cancel: () => abort.abort() };
}
