// Writes gzip and brotli copies beside every compressible file of the build, so the ployer
// binary can serve them precompressed without compressing anything per request.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = new URL('../build/', import.meta.url).pathname;
const compressible = /\.(html|js|mjs|css|json|svg|txt|map|wasm)$/;

function* files(dir) {
	for (const name of readdirSync(dir)) {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) yield* files(path);
		else yield path;
	}
}

let count = 0;
for (const path of files(root)) {
	if (!compressible.test(path)) continue;
	const data = readFileSync(path);
	if (data.length < 256) continue;
	writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
	writeFileSync(
		`${path}.br`,
		brotliCompressSync(data, {
			params: {
				[constants.BROTLI_PARAM_QUALITY]: 11,
				[constants.BROTLI_PARAM_SIZE_HINT]: data.length
			}
		})
	);
	count++;
}
console.log(`compress: ${count} files written as .gz and .br`);
