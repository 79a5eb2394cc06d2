// Turns a log line with ANSI escape sequences into styled text segments. Nothing here makes
// HTML: segments are rendered as text nodes, so a log line can never inject markup.

export interface Segment {
	text: string;
	/** 0-15: a palette class; otherwise a CSS colour. */
	fg?: number | string;
	bg?: number | string;
	bold?: boolean;
	dim?: boolean;
	italic?: boolean;
	underline?: boolean;
}

type Style = Omit<Segment, 'text'>;

// CSI sequences (ESC [ … final byte), OSC sequences (ESC ] … BEL or ESC \) and lone escapes.
// eslint-disable-next-line no-control-regex
const ESCAPE = /\x1b\[([0-9;?]*)([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]?/g;

const CUBE = [0, 95, 135, 175, 215, 255];

function color256(n: number): number | string {
	if (n < 16) return n;
	if (n < 232) {
		const i = n - 16;
		return `rgb(${CUBE[Math.floor(i / 36)]},${CUBE[Math.floor(i / 6) % 6]},${CUBE[i % 6]})`;
	}
	const level = 8 + (n - 232) * 10;
	return `rgb(${level},${level},${level})`;
}

function applySgr(style: Style, params: number[]): Style {
	const next: Style = { ...style };
	for (let i = 0; i < params.length; i++) {
		const p = params[i];
		if (p === 0) {
			for (const key of Object.keys(next) as (keyof Style)[]) delete next[key];
		} else if (p === 1) next.bold = true;
		else if (p === 2) next.dim = true;
		else if (p === 3) next.italic = true;
		else if (p === 4) next.underline = true;
		else if (p === 22) {
			delete next.bold;
			delete next.dim;
		} else if (p === 23) delete next.italic;
		else if (p === 24) delete next.underline;
		else if (p >= 30 && p <= 37) next.fg = p - 30;
		else if (p >= 90 && p <= 97) next.fg = p - 90 + 8;
		else if (p === 39) delete next.fg;
		else if (p >= 40 && p <= 47) next.bg = p - 40;
		else if (p >= 100 && p <= 107) next.bg = p - 100 + 8;
		else if (p === 49) delete next.bg;
		else if (p === 38 || p === 48) {
			const key = p === 38 ? 'fg' : 'bg';
			if (params[i + 1] === 5 && params[i + 2] !== undefined) {
				next[key] = color256(params[i + 2] & 255);
				i += 2;
			} else if (params[i + 1] === 2 && params[i + 4] !== undefined) {
				const [r, g, b] = params.slice(i + 2, i + 5).map((v) => Math.min(255, Math.max(0, v)));
				next[key] = `rgb(${r},${g},${b})`;
				i += 4;
			}
		}
	}
	return next;
}

/** Splits `text` into segments by its SGR (colour) sequences; other sequences are dropped. */
export function parseAnsi(text: string): Segment[] {
	const segments: Segment[] = [];
	let style: Style = {};
	let last = 0;
	const push = (part: string) => {
		if (part) segments.push({ text: part, ...style });
	};
	for (const match of text.matchAll(ESCAPE)) {
		push(text.slice(last, match.index));
		last = match.index + match[0].length;
		if (match[2] === 'm') {
			const params = (match[1] || '0')
				.split(';')
				.map((v) => (v === '' ? 0 : Number.parseInt(v, 10)))
				.filter((v) => Number.isFinite(v));
			style = applySgr(style, params);
		}
	}
	push(text.slice(last));
	return segments;
}

/** What a terminal would show of a line that rewrites itself with `\r`: its last part. */
export function visibleAfterCarriageReturns(line: string): string {
	if (!line.includes('\r')) return line;
	const parts = line.split('\r').filter((part) => part.length > 0);
	return parts.length > 0 ? parts[parts.length - 1] : '';
}

/** Plain text of a line, escapes removed (for search and downloads). */
export function plainText(line: string): string {
	return line.replace(ESCAPE, '');
}
