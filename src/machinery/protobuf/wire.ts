/**
 * A bounds-checked protobuf wire reader: tags, varints (up to 64 bits), fixed32/fixed64 and
 * length-delimited fields over a Buffer slice. Every malformed input (truncated varint, a length
 * past the end, a group wire type, field number 0) raises StatusError BadRequest; nothing here
 * loops without consuming input, so hostile bodies cannot hang it.
 */
import { StatusError } from '../errors.js';

export const WireType = { Varint: 0, Fixed64: 1, Bytes: 2, StartGroup: 3, EndGroup: 4, Fixed32: 5 } as const;
export type WireTypeNumber = 0 | 1 | 2 | 3 | 4 | 5;

export interface Tag {
  field: number;
  wireType: WireTypeNumber;
}

export function protobufError(message: string): StatusError {
  return new StatusError('BadRequest', `unable to decode protobuf body: ${message}`);
}

export class WireReader {
  private pos: number;
  private readonly end: number;

  constructor(private readonly buf: Buffer, start = 0, end = buf.length) {
    this.pos = start;
    this.end = end;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** An unsigned varint as a bigint (at most 10 bytes, 64 bits). */
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw protobufError('truncated varint');
      const byte = this.buf[this.pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return BigInt.asUintN(64, result);
      shift += 7n;
    }
    throw protobufError('varint longer than 10 bytes');
  }

  /** A varint that must fit a JS number exactly (lengths, field numbers). */
  smallVarint(): number {
    const v = this.varint();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw protobufError('length or tag out of range');
    return Number(v);
  }

  tag(): Tag {
    const key = this.smallVarint();
    const wireType = key & 7;
    const field = Math.floor(key / 8);
    if (field < 1 || field > 536870911) throw protobufError(`invalid field number ${field}`);
    if (wireType > 5) throw protobufError(`invalid wire type ${wireType} for field ${field}`);
    return { field, wireType: wireType as WireTypeNumber };
  }

  /** The payload of a length-delimited field (a view, not a copy). */
  bytes(): Buffer {
    const len = this.smallVarint();
    if (len > this.end - this.pos) throw protobufError(`length ${len} past the end of the message`);
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  fixed32(): Buffer {
    return this.take(4);
  }

  fixed64(): Buffer {
    return this.take(8);
  }

  /** Skips one value of the given wire type (used only for envelope fields Skiff does not need). */
  skip(wireType: WireTypeNumber): void {
    if (wireType === WireType.Varint) this.varint();
    else if (wireType === WireType.Fixed64) this.take(8);
    else if (wireType === WireType.Bytes) this.bytes();
    else if (wireType === WireType.Fixed32) this.take(4);
    else throw protobufError('group wire types are not supported');
  }

  private take(n: number): Buffer {
    if (n > this.end - this.pos) throw protobufError('truncated fixed-width value');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}
