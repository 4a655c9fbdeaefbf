// Bytes each store action takes in a decrypted InternalRaftRequest, read from the protobuf wire format
// (re-encoding the decoded actions would be slower and could differ from what was stored).

const ACTION_FIELD = 2;

/**
 * Sizes of the `action` fields (tag, length and body) in wire order, which is the order of the decoded
 * `action` array; undefined when the bytes do not parse.
 */
export function actionFieldSizes(plain: Uint8Array): number[] | undefined {
  const sizes: number[] = [];
  let pos = 0;
  const varint = (): number | undefined => {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= plain.length) return undefined;
      const b = plain[pos++];
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 128;
    }
    return undefined;
  };
  while (pos < plain.length) {
    const start = pos;
    const tag = varint();
    if (tag === undefined) return undefined;
    const wireType = tag % 8;
    const field = Math.floor(tag / 8);
    switch (wireType) {
      case 0:
        if (varint() === undefined) return undefined;
        break;
      case 1:
        pos += 8;
        break;
      case 2: {
        const length = varint();
        if (length === undefined) return undefined;
        pos += length;
        break;
      }
      case 5:
        pos += 4;
        break;
      default:
        return undefined;
    }
    if (pos > plain.length) return undefined;
    if (field === ACTION_FIELD && wireType === 2) sizes.push(pos - start);
  }
  return sizes;
}
