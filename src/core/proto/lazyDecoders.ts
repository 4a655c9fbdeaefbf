// protobufjs generates a type's code on its first use, and then all of it at once: encoder, decoder,
// verifier and both converters (Type.setup), five functions compiled with `new Function` per message
// type met. Reading a log only decodes, so each type here gets its decoder alone on its first decode
// (~10 ms less start-up per process); the first call of anything else still runs the full setup, which
// generates the same decoder again.
import * as protobuf from 'protobufjs/light';

type DecodeArgs = [reader: protobuf.Reader | Uint8Array, length?: number, ...rest: unknown[]];
type Decode = (...args: DecodeArgs) => protobuf.Message;

/** Gives every message type under `namespace` (a resolved root) a decoder made on its first call. */
export function installLazyDecoders(namespace: protobuf.NamespaceBase): void {
  for (const nested of namespace.nestedArray) {
    if (nested instanceof protobuf.Type) installOn(nested);
    if (nested instanceof protobuf.Namespace) installLazyDecoders(nested); // types are namespaces too (nested types)
  }
}

function installOn(type: protobuf.Type): void {
  const holder = type as unknown as { decode: Decode };
  holder.decode = (...args: DecodeArgs) => {
    // What Type.setup hands the decoder; the root is resolved (resolveAll), so resolve() only reads.
    const types = type.fieldsArray.map((field) => field.resolve().resolvedType);
    const make = protobuf.decoder(type) as unknown as (scope: Record<string, unknown>) => Decode;
    holder.decode = make({ Reader: protobuf.Reader, types, util: protobuf.util, C: type.ctor });
    return holder.decode(...args);
  };
}
