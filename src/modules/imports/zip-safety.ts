/**
 * @module Zip-bomb and path-traversal checks for an uploaded XLSX (a ZIP archive, APPNOTE 6.3.10) before any of it
 * is inflated: the central directory is read from the file's end and every entry's declared sizes are checked —
 * a total an import could ever need, a compression ratio no spreadsheet has, no absolute or `..` names, no
 * ZIP64 sizes. The streaming reader never trusts the sizes either (it reads row by row), but the shared strings
 * are cached whole, so their size is bounded here too.
 */
import { open } from 'node:fs/promises';
import { AppError } from '../kernel/index.js';

export interface ZipLimits {
  /** All entries inflated together. */
  maxTotalBytes: number;
  /** sharedStrings.xml, which the reader keeps in memory. */
  maxSharedStringsBytes: number;
  /** Inflated / compressed, for entries larger than 1 MiB. Real sheets compress 5–30×; bombs 1000× and more. */
  maxRatio: number;
  maxEntries: number;
}

export const defaultZipLimits: ZipLimits = {
  maxTotalBytes: 4 * 1024 ** 3,
  maxSharedStringsBytes: 256 * 1024 ** 2,
  maxRatio: 200,
  maxEntries: 10_000,
};

const refuse = (why: string, ru: string) =>
  new AppError('unsupported_media_type', `The workbook is refused: ${why} / Книга отклонена: ${ru}`);

/** Throws (415) when the archive's directory declares a bomb, a traversal or an unreadable layout. */
export async function assertSafeZip(path: string, limits: ZipLimits = defaultZipLimits): Promise<void> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    // The end-of-central-directory record is 22 bytes plus a comment of up to 65,535 bytes.
    const tailLength = Math.min(size, 22 + 65_535);
    const tail = Buffer.alloc(tailLength);
    await file.read(tail, 0, tailLength, size - tailLength);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0)
      throw new AppError(
        'unsupported_media_type',
        'A ZIP archive that is not a readable XLSX workbook (no ZIP directory at its end) / ' +
          'Это ZIP-архив, но не книга XLSX, которую можно прочитать',
      );
    const entries = tail.readUInt16LE(eocd + 10);
    const directorySize = tail.readUInt32LE(eocd + 12);
    const directoryOffset = tail.readUInt32LE(eocd + 16);
    if (entries === 0xffff || directoryOffset === 0xffffffff)
      throw refuse('ZIP64 archives are not accepted', 'архивы ZIP64 не принимаются');
    if (entries > limits.maxEntries) throw refuse('too many files inside', 'слишком много файлов внутри');
    if (directoryOffset + directorySize > size)
      throw refuse('the ZIP directory points outside the file', 'каталог ZIP указывает за пределы файла');
    const directory = Buffer.alloc(directorySize);
    await file.read(directory, 0, directorySize, directoryOffset);
    let at = 0;
    let total = 0;
    for (let n = 0; n < entries; n++) {
      if (at + 46 > directory.length || directory.readUInt32LE(at) !== 0x02014b50)
        throw refuse('a broken ZIP directory', 'повреждён каталог ZIP');
      const compressed = directory.readUInt32LE(at + 20);
      const inflated = directory.readUInt32LE(at + 24);
      const nameLength = directory.readUInt16LE(at + 28);
      const extraLength = directory.readUInt16LE(at + 30);
      const commentLength = directory.readUInt16LE(at + 32);
      const name = directory.toString('utf8', at + 46, at + 46 + nameLength);
      at += 46 + nameLength + extraLength + commentLength;
      if (compressed === 0xffffffff || inflated === 0xffffffff)
        throw refuse('ZIP64 archives are not accepted', 'архивы ZIP64 не принимаются');
      if (
        name.startsWith('/') ||
        name.startsWith('\\') ||
        /(^|[\\/])\.\.([\\/]|$)/.test(name) ||
        /^[a-z]:/i.test(name)
      )
        throw refuse(
          `a file name that leaves the archive (${name.slice(0, 80)})`,
          'имя файла выходит за пределы архива',
        );
      total += inflated;
      if (total > limits.maxTotalBytes)
        throw refuse(
          'it would inflate to more than an import can take',
          'после распаковки она слишком велика',
        );
      if (/sharedStrings\.xml$/i.test(name) && inflated > limits.maxSharedStringsBytes)
        throw refuse('its shared strings are too large', 'слишком велика таблица строк');
      if (inflated > 1024 ** 2 && inflated > limits.maxRatio * Math.max(compressed, 1))
        throw refuse(
          `${name.slice(0, 80)} inflates ${Math.round(inflated / Math.max(compressed, 1))}× (a zip bomb)`,
          'коэффициент сжатия как у ZIP-бомбы',
        );
    }
  } finally {
    await file.close();
  }
}
