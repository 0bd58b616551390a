// Finishes the release's wasm files (scripts/release.sh), in place:
// drops their custom sections and writes their brotli copies afresh.
//
// wasm-split leaves a `producers` and a `target_features` section in each
// of the five hundred parts of a split build: about 180 bytes a file that
// no browser reads, a third of a typical part (issue 18). Node is already
// needed for wasm-opt (scripts/setup.sh), so this runs under it.
//
// Usage: node scripts/finish-wasm.mjs DIR
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants } from "node:zlib";

function leb(bytes, at) {
  let value = 0, shift = 0, b;
  do {
    b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return [value, at];
}

// The module without its custom sections (id 0); the others as they were.
function stripCustomSections(bytes) {
  if (bytes.length < 8 || bytes.readUInt32LE(0) !== 0x6d736100) {
    throw new Error("not a wasm module");
  }
  const kept = [bytes.subarray(0, 8)];
  let at = 8;
  while (at < bytes.length) {
    const start = at;
    const id = bytes[at++];
    const [size, body] = leb(bytes, at);
    at = body + size;
    if (at > bytes.length) throw new Error("a section runs past the end");
    if (id !== 0) kept.push(bytes.subarray(start, at));
  }
  return Buffer.concat(kept);
}

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node scripts/finish-wasm.mjs DIR");
  process.exit(2);
}
let before = 0, after = 0, files = 0;
for (const name of readdirSync(dir)) {
  if (!name.endsWith(".wasm")) continue;
  const path = join(dir, name);
  const original = readFileSync(path);
  const stripped = stripCustomSections(original);
  if (!WebAssembly.validate(stripped)) throw new Error(`${name}: invalid once stripped`);
  writeFileSync(path, stripped);
  writeFileSync(path + ".br", brotliCompressSync(stripped, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_LGWIN]: 24,
      [constants.BROTLI_PARAM_SIZE_HINT]: stripped.length,
    },
  }));
  before += original.length;
  after += stripped.length;
  files += 1;
}
console.log(`${files} wasm files: ${before} bytes, ${after} without custom sections`);
