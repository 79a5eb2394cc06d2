// Lists the CSP hashes of the `style="…"` attributes the built code puts into markup
// (SvelteKit's route announcer, GraphiQL's editor), one base64 SHA-256 a line, in
// build/csp-style-hashes.txt. The ployer binary allows exactly these in its
// Content-Security-Policy ('unsafe-hashes'), so no other inline style can apply.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../build/', import.meta.url).pathname;

function* scripts(dir) {
	for (const name of readdirSync(dir)) {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) yield* scripts(path);
		else if (path.endsWith('.js')) yield path;
	}
}

const hashes = new Set();
for (const path of scripts(join(root, '_app'))) {
	for (const match of readFileSync(path, 'utf8').matchAll(/style="([^"<>]*)"/g)) {
		hashes.add(createHash('sha256').update(match[1]).digest('base64'));
	}
}
writeFileSync(join(root, 'csp-style-hashes.txt'), [...hashes].sort().join('\n') + '\n');
console.log(`csp: ${hashes.size} inline style attributes allowed by hash`);
