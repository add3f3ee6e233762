// Types of lz4js (a small pure-JS LZ4 frame codec, used to decode compressed Arrow results); it ships none.
declare module 'lz4js' {
  export function compress(bytes: Uint8Array): Uint8Array;
  export function decompress(bytes: Uint8Array): Uint8Array;
  const lz4: { compress: typeof compress; decompress: typeof decompress };
  export default lz4;
}
