/** @module Streams an uploaded file (raw body or multipart/form-data) to DATA_DIR/imports/<org>/ without buffering it, under a size limit. */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../kernel/index.js';

/** 2 GiB: the largest file an import accepts. */
export const MAX_IMPORT_BYTES = 2 * 1024 ** 3;

export interface StoredUpload {
  uploadId: string;
  path: string;
  bytes: number;
  sha256: string;
  /** The file name given in the multipart part, if any. */
  fileName: string | null;
}

export function uploadPath(dataDir: string, orgId: string, uploadId: string): string {
  return join(dataDir, 'imports', orgId, `${uploadId}.upload`);
}

const tooLarge = (limit: number) =>
  new AppError(
    'payload_too_large',
    `The file is larger than ${Math.round(limit / 1024 ** 2)} MB: split it, or import it with the CLI / ` +
      `Файл больше ${Math.round(limit / 1024 ** 2)} МБ: разделите его или загрузите через командную строку`,
  );

/**
 * Writes the body to disk as it arrives. A multipart body is cut to its first file part; anything else is the
 * file itself. Refuses (and deletes what was written) past `limit` bytes, and early when Content-Length says so.
 */
export async function storeUpload(
  body: ReadableStream<Uint8Array> | null,
  o: {
    dataDir: string;
    orgId: string;
    contentType: string | undefined;
    contentLength?: number;
    limit?: number;
  },
): Promise<StoredUpload> {
  const limit = o.limit ?? MAX_IMPORT_BYTES;
  if (o.contentLength !== undefined && o.contentLength > limit + 64 * 1024) throw tooLarge(limit);
  if (!body)
    throw new AppError('bad_request', 'Send the file as the request body (or as multipart/form-data)');
  const uploadId = randomUUID();
  const path = uploadPath(o.dataDir, o.orgId, uploadId);
  await mkdir(join(o.dataDir, 'imports', o.orgId), { recursive: true });
  void sweepOldUploads(join(o.dataDir, 'imports', o.orgId));
  const out = createWriteStream(path, { flags: 'wx' });
  const hash = createHash('sha256');
  let bytes = 0;
  const write = async (chunk: Uint8Array) => {
    if (chunk.length === 0) return;
    bytes += chunk.length;
    if (bytes > limit) throw tooLarge(limit);
    hash.update(chunk);
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  };
  const boundary = /multipart\/form-data/i.test(o.contentType ?? '')
    ? /boundary="?([^";]+)"?/i.exec(o.contentType ?? '')?.[1]
    : undefined;
  let fileName: string | null = null;
  try {
    if (boundary) fileName = await firstFilePart(body, boundary, write);
    else for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) await write(chunk);
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  } catch (error) {
    out.destroy();
    await unlink(path).catch(() => undefined);
    throw error;
  }
  if (bytes === 0) {
    await unlink(path).catch(() => undefined);
    throw new AppError('invalid_input', 'The file is empty / Файл пустой');
  }
  return { uploadId, path, bytes, sha256: hash.digest('hex'), fileName };
}

/** Uploads that never became an import are deleted after a day. */
async function sweepOldUploads(folder: string) {
  try {
    const day = Date.now() - 86_400_000;
    for (const name of await readdir(folder)) {
      if (!name.endsWith('.upload')) continue;
      const p = join(folder, name);
      if ((await stat(p)).mtimeMs < day) await unlink(p).catch(() => undefined);
    }
  } catch {
    // Best effort: a failed sweep costs disk space, nothing else.
  }
}

/**
 * The bytes of the first part that carries a file name (RFC 7578), streamed: the closing delimiter
 * `\r\n--boundary` is searched across chunk edges by holding back its length of bytes.
 */
async function firstFilePart(
  body: ReadableStream<Uint8Array>,
  boundary: string,
  write: (chunk: Uint8Array) => Promise<void>,
): Promise<string | null> {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let buffer = Buffer.alloc(0);
  let state: 'preamble' | 'headers' | 'body' | 'skip' | 'done' = 'preamble';
  let fileName: string | null = null;
  // The preamble ends at the first "--boundary" (no CRLF before it at the very start).
  buffer = Buffer.from('\r\n');
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      if (state === 'done') break;
      if (state === 'preamble' || state === 'skip') {
        const at = buffer.indexOf(delimiter);
        if (at < 0) {
          buffer = buffer.subarray(Math.max(0, buffer.length - delimiter.length));
          break;
        }
        buffer = buffer.subarray(at + delimiter.length);
        state = 'headers';
        continue;
      }
      if (state === 'headers') {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) {
          if (buffer.length > 16 * 1024) throw new AppError('bad_request', 'Malformed multipart body');
          break;
        }
        const head = buffer.subarray(0, end).toString('utf8');
        buffer = buffer.subarray(end + 4);
        if (head.startsWith('--')) {
          state = 'done';
          break;
        }
        const name = /filename\*?=(?:UTF-8'')?"?([^";\r\n]*)"?/i.exec(head)?.[1];
        if (name !== undefined) {
          fileName = decodeURIComponent(name);
          state = 'body';
        } else state = 'skip';
        continue;
      }
      // state === 'body'
      const at = buffer.indexOf(delimiter);
      if (at >= 0) {
        await write(buffer.subarray(0, at));
        state = 'done';
        break;
      }
      const keep = delimiter.length;
      if (buffer.length > keep) {
        await write(buffer.subarray(0, buffer.length - keep));
        buffer = buffer.subarray(buffer.length - keep);
      }
      break;
    }
  }
  if (fileName === null) throw new AppError('invalid_input', 'The multipart body has no file part');
  if (state !== 'done') throw new AppError('bad_request', 'The multipart body ended before its file did');
  return fileName;
}
