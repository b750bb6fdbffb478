// Caps the memories a core WebAssembly module defines, by rewriting the maximum in its memory
// section: a guest that grows past the cap gets a failed `memory.grow`, which the engine turns
// into a trap, instead of taking the shop's process memory.

const MEMORY_SECTION = 5;
const PAGE = 65536;

/** `bytes` with every memory the module defines limited to `capBytes` (rounded down to pages). */
export function capMemories(bytes, capBytes) {
  const capPages = Math.max(1, Math.floor(capBytes / PAGE));
  const input = new Uint8Array(bytes);
  if (input.length < 8) throw new Error('not a WebAssembly module');
  const parts = [input.subarray(0, 8)];
  let at = 8;
  while (at < input.length) {
    const id = input[at];
    const [size, sizeEnd] = readU32(input, at + 1);
    const body = input.subarray(sizeEnd, sizeEnd + size);
    if (id === MEMORY_SECTION) {
      const capped = capSection(body, capPages);
      parts.push(Uint8Array.of(id), writeU32(capped.length), capped);
    } else {
      parts.push(input.subarray(at, sizeEnd + size));
    }
    at = sizeEnd + size;
  }
  return Buffer.concat(parts);
}

function capSection(body, capPages) {
  const [count, countEnd] = readU32(body, 0);
  const out = [writeU32(count)];
  let at = countEnd;
  for (let i = 0; i < count; i++) {
    const flags = body[at];
    if (flags & 0x04) throw new Error('64-bit memories are not supported');
    const [minimum, minimumEnd] = readU32(body, at + 1);
    let maximum = capPages;
    at = minimumEnd;
    if (flags & 0x01) {
      const [declared, declaredEnd] = readU32(body, at);
      maximum = Math.min(declared, capPages);
      at = declaredEnd;
    }
    // A module that needs more than the cap at start cannot run under it.
    maximum = Math.max(maximum, minimum);
    out.push(Uint8Array.of(flags | 0x01), writeU32(minimum), writeU32(maximum));
  }
  return Buffer.concat(out);
}

function readU32(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    if (byte === undefined) throw new Error('truncated WebAssembly module');
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [value, at];
    shift += 7;
  }
}

function writeU32(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return Uint8Array.from(out);
}
