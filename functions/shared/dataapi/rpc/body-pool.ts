/**
 * Reading answer bodies into reused buffers, and decoding them as UTF-8, never
 * more than a cap: a server announcing (or sending) more than any answer of
 * the API can be is refused, not believed with an allocation of its size.
 */

/**
 * The most one answer may be: a page of 10 000 calls with every column is
 * ~13 MB of JSON, so 64 MB leaves room and refuses what no page can be.
 */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** An answer larger than the cap: announced, or found while reading it. */
export class BodyTooLargeError extends Error {
  readonly bytes: number | null;
  constructor(limit: number, announced: number | null) {
    super(
      announced === null
        ? `the answer is larger than the ${limit} bytes any answer of the API can be; stopped reading it`
        : `the answer announces ${announced} bytes, more than the ${limit} any answer of the API can be; refused unread`,
    );
    this.name = 'BodyTooLargeError';
    this.bytes = announced;
  }
}

/** Reads a whole body, at most `limit` bytes (a longer one is cancelled and refused). */
export async function readCapped(res: Response, limit: number = MAX_BODY_BYTES): Promise<Buffer> {
  const announced = Number(res.headers.get('content-length'));
  if (Number.isFinite(announced) && announced > limit) {
    await res.body?.cancel().catch(() => {});
    throw new BodyTooLargeError(limit, announced);
  }
  if (!res.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of res.body) {
    total += chunk.length;
    if (total > limit) {
      await res.body.cancel().catch(() => {});
      throw new BodyTooLargeError(limit, null);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/**
 * Buffers for answer bodies, reused: a page is ~13 MB, and reading each into a
 * buffer of its own exact size (what `Response.arrayBuffer()` does, after
 * gathering the chunks) leaves the allocator with a heap of freed blocks of
 * odd sizes that the process keeps (~100 MB of RSS over a year's fetch).
 * A body is read into the smallest free buffer that holds its Content-Length;
 * a body without one (or compressed, or longer than announced) is read as usual.
 *
 * At most `held` bodies are read and kept at a time (until their page is done
 * with): more requests may be in flight, their answers wait unread in the
 * connection. Pages are parsed one at a time anyway, so on a fast connection
 * more held bodies only cost memory (~13 MB each).
 */
export class BodyPool {
  private free: Buffer[] = [];
  private readonly held: number;
  private holding = 0;
  private readonly waiting: (() => void)[] = [];

  private readonly limit: number;

  constructor(held: number, limit: number = MAX_BODY_BYTES) {
    this.held = Math.max(1, Math.floor(held));
    this.limit = limit;
  }

  private async hold(): Promise<() => void> {
    if (this.holding >= this.held) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.holding++;
    let gone = false;
    return () => {
      if (gone) return;
      gone = true;
      const next = this.waiting.shift();
      if (next)
        next(); // the place passes on
      else this.holding--;
    };
  }

  async read(res: Response): Promise<{ bytes: Buffer; done: () => void }> {
    const letGo = await this.hold();
    try {
      const body = await this.readHeld(res);
      return {
        bytes: body.bytes,
        done: () => {
          body.done();
          letGo();
        },
      };
    } catch (e) {
      letGo();
      throw e;
    }
  }

  private async readHeld(res: Response): Promise<{ bytes: Buffer; done: () => void }> {
    const length = Number(res.headers.get('content-length'));
    const encoded = (res.headers.get('content-encoding') ?? 'identity') !== 'identity';
    if (!res.body || encoded || !Number.isSafeInteger(length) || length < 64 * 1024 || length > this.limit) {
      // Read as it comes, never past the cap (an announced length over it is refused unread).
      return { bytes: await readCapped(res, this.limit), done: () => {} };
    }
    let buffer = this.take(length);
    let at = 0;
    try {
      for await (const chunk of res.body) {
        if (at + chunk.length > this.limit) {
          await res.body.cancel().catch(() => {});
          throw new BodyTooLargeError(this.limit, null);
        }
        if (at + chunk.length > buffer.length) {
          // Longer than announced: carry on in a bigger buffer of its own.
          const bigger = Buffer.allocUnsafeSlow(Math.max(buffer.length * 2, at + chunk.length));
          buffer.copy(bigger, 0, 0, at);
          this.give(buffer);
          buffer = bigger;
        }
        buffer.set(chunk, at);
        at += chunk.length;
      }
    } catch (e) {
      this.give(buffer);
      throw e;
    }
    const owned = buffer;
    let given = false;
    return {
      bytes: owned.subarray(0, at),
      done: () => {
        if (!given) this.give(owned);
        given = true;
      },
    };
  }

  private take(length: number): Buffer {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const b = this.free[i] as Buffer;
      if (b.length >= length && (best < 0 || b.length < (this.free[best] as Buffer).length)) best = i;
    }
    if (best >= 0) return this.free.splice(best, 1)[0] as Buffer;
    // Rounded up to a whole MB, so that pages of slightly different sizes share buffers.
    return Buffer.allocUnsafeSlow(Math.ceil(length / 1048576) * 1048576);
  }

  private give(b: Buffer): void {
    if (this.free.length < this.held) this.free.push(b);
  }

  clear(): void {
    this.free = [];
  }
}

/** Bytes of a UTF-8 byte order mark at the start of `b` (0 or 3). */
export function bomLength(b: Buffer): number {
  return b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
}

/** The body as text, as `Response.text()` reads it: UTF-8, a leading byte order mark dropped. */
export function decodeUtf8(b: Buffer): string {
  return b.toString('utf8', bomLength(b));
}
