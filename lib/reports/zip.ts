import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createDeflateRaw, deflateRawSync } from "node:zlib";

/**
 * A minimal ZIP writer (deflate, no encryption, no ZIP64: a report's CSVs are far below 4 GiB), so that "CSV" is
 * one download holding every dataset without a dependency. Format: PKWARE APPNOTE 6.3.x §4.3. `zip` packs entries
 * held in memory; `zipStream` packs entries that arrive in chunks and writes as it reads (sizes and CRC then follow
 * each entry in a data descriptor, §4.3.9, general-purpose flag bit 3).
 */

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

export interface ZipStreamEntry {
  name: string;
  chunks(): AsyncIterable<Uint8Array>;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 of `data`, continuing from the CRC of what came before it (0 to start). */
export function crc32(data: Uint8Array, previous = 0): number {
  let c = (previous ^ 0xffffffff) >>> 0;
  for (const byte of data) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** MS-DOS date and time fields of a local-time instant (ZIP has no time zone). */
function dosTime(at: Date): { time: number; date: number } {
  return {
    time: (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | Math.floor(at.getUTCSeconds() / 2),
    date:
      ((Math.max(at.getUTCFullYear(), 1980) - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate(),
  };
}

const UTF8_NAMES = 0x0800;
const DATA_DESCRIPTOR = 0x0008;

interface Sizes {
  crc: number;
  packed: number;
  size: number;
}

/** The fields a local header and a central-directory header share, in the same order, from `pos`. */
function entryFields(buf: Buffer, pos: number, name: Buffer, at: Date, flags: number, s: Sizes): void {
  const { time, date } = dosTime(at);
  buf.writeUInt16LE(20, pos); // version needed: 2.0 (deflate)
  buf.writeUInt16LE(flags, pos + 2);
  buf.writeUInt16LE(8, pos + 4); // deflate
  buf.writeUInt16LE(time, pos + 6);
  buf.writeUInt16LE(date, pos + 8);
  buf.writeUInt32LE(s.crc, pos + 10);
  buf.writeUInt32LE(s.packed, pos + 14);
  buf.writeUInt32LE(s.size, pos + 18);
  buf.writeUInt16LE(name.length, pos + 22);
}

function localHeader(name: Buffer, at: Date, flags: number, s: Sizes): Buffer {
  const local = Buffer.alloc(30); // extra field length stays 0
  local.writeUInt32LE(0x04034b50, 0);
  entryFields(local, 4, name, at, flags, s);
  return Buffer.concat([local, name]);
}

function centralHeader(name: Buffer, at: Date, flags: number, s: Sizes, offset: number): Buffer {
  const dir = Buffer.alloc(46);
  dir.writeUInt32LE(0x02014b50, 0);
  dir.writeUInt16LE(20, 4); // made by: 2.0, MS-DOS attributes
  entryFields(dir, 6, name, at, flags, s);
  dir.writeUInt32LE(offset, 42); // extra, comment, disk, attributes stay 0
  return Buffer.concat([dir, name]);
}

function endRecord(entries: number, dirSize: number, dirOffset: number): Buffer {
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries, 8);
  end.writeUInt16LE(entries, 10);
  end.writeUInt32LE(dirSize, 12);
  end.writeUInt32LE(dirOffset, 16);
  return end;
}

export function zip(entries: readonly ZipEntry[], at: Date = new Date()): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, "utf8");
    const packed = deflateRawSync(e.data);
    const sizes = { crc: crc32(e.data), packed: packed.length, size: e.data.length };
    const local = localHeader(name, at, UTF8_NAMES, sizes);
    locals.push(local, packed);
    central.push(centralHeader(name, at, UTF8_NAMES, sizes, offset));
    offset += local.length + packed.length;
  }
  const dirSize = central.reduce((n, b) => n + b.length, 0);
  return Buffer.concat([...locals, ...central, endRecord(entries.length, dirSize, offset)]);
}

/** The ZIP of `entries`, written as their chunks arrive: memory holds a chunk and the deflate window, not a file. */
export async function* zipStream(
  entries: readonly ZipStreamEntry[],
  at: Date = new Date(),
): AsyncGenerator<Buffer> {
  const flags = UTF8_NAMES | DATA_DESCRIPTOR;
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, "utf8");
    const local = localHeader(name, at, flags, { crc: 0, packed: 0, size: 0 });
    yield local;
    const sizes: Sizes = { crc: 0, packed: 0, size: 0 };
    const counted = async function* () {
      for await (const chunk of e.chunks()) {
        sizes.crc = crc32(chunk, sizes.crc);
        sizes.size += chunk.length;
        yield chunk;
      }
    };
    // pipeline, not pipe: a failing query must fail the download, not leave the deflate stream waiting.
    const deflate = createDeflateRaw();
    const feeding = pipeline(Readable.from(counted()), deflate);
    feeding.catch(() => {}); // its error reaches us through `deflate`; awaited below
    for await (const packed of deflate as AsyncIterable<Buffer>) {
      sizes.packed += packed.length;
      yield packed;
    }
    await feeding;
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(sizes.crc, 4);
    descriptor.writeUInt32LE(sizes.packed, 8);
    descriptor.writeUInt32LE(sizes.size, 12);
    yield descriptor;
    central.push(centralHeader(name, at, flags, sizes, offset));
    offset += local.length + sizes.packed + descriptor.length;
  }
  const dir = Buffer.concat(central);
  yield dir;
  yield endRecord(entries.length, dir.length, offset);
}
