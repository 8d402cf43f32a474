// `POST /files` (§12.1) is the one multipart call: the typed JSON client cannot
// send it, so it is made here with the same tokens, the same one refresh on 401
// and the same `ApiError` values.
import { apiBase, apiFetch } from '../platform/server';
import { api, ApiError, tokens } from './index';
import type { UploadedFile } from './types';

async function post(form: FormData): Promise<Response> {
  const token = tokens.get()?.access;
  try {
    return await apiFetch(`${apiBase()}/files`, {
      method: 'POST',
      headers: token ? { Authorization: `Bearer ${token}` } : {},
      body: form,
    });
  } catch {
    throw new ApiError(0, 'Network error');
  }
}

/** Uploads one file and answers its row; avatars then refer to its `id`. */
export async function uploadFile(file: Blob, filename: string): Promise<UploadedFile> {
  const form = new FormData();
  form.append('file', file, filename);
  let r = await post(form);
  if (r.status === 401 && (await api.refresh())) r = await post(form);
  if (!r.ok) {
    let text = r.statusText || `HTTP ${r.status}`;
    try {
      const body = (await r.json()) as { error?: unknown };
      if (typeof body.error === 'string') text = body.error;
    } catch {
      // not JSON (e.g. a bare 413 of the HTTP layer): keep the status text
    }
    throw new ApiError(r.status, text);
  }
  return (await r.json()) as UploadedFile;
}
