// The web terminal: xterm.js on an application's terminal websocket. Only the Terminal tab
// imports this (dynamically), so xterm.js and its CSS are a chunk no other page loads.
//
// The protocol (the server's `http/terminal.rs` documents it): the first message is
// `{"type":"init","cols","rows"}` (the session cookie on the upgrade is the credential), the
// server answers `{"type":"ready",…}` and then sends the shell's output as binary frames;
// keystrokes go as binary frames, `{"type":"resize","cols","rows"}` when the screen changes.
// The close frame's reason says in words why the session ended.
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { openTerminalSocket } from './graphql/client';

export interface Ready {
	containerId: string;
	deploymentId: string;
	shell: string;
	idleSeconds: number;
}

export interface Closed {
	code: number;
	reason: string;
}

export interface TerminalHandlers {
	connecting: () => void;
	ready: (ready: Ready) => void;
	closed: (closed: Closed) => void;
}

export interface TerminalView {
	/** Opens a new session on a clean screen (closing the current one, if any). */
	connect(): void;
	focus(): void;
	dispose(): void;
}

/** The server takes messages up to 64 KiB; a paste goes in pieces well below that. */
const CHUNK_BYTES = 16 * 1024;

/** Mounts a terminal in `element` for the application; `connect()` starts a session. */
export function mountTerminal(element: HTMLElement, applicationId: string, handlers: TerminalHandlers): TerminalView {
	const css = getComputedStyle(element);
	const variable = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
	const sheets = new Set<CSSStyleSheet>();
	const term = withConstructedStyles(sheets, () => {
		const term = new Terminal({
			fontFamily: variable('--mono', 'monospace'),
			fontSize: 14,
			cursorBlink: true,
			scrollback: 5000,
			theme: {
				background: variable('--log-bg', '#0f1117'),
				foreground: variable('--log-fg', '#d6dae3'),
				cursor: variable('--log-fg', '#d6dae3')
			}
		});
		term.open(element);
		return term;
	});
	const fit = new FitAddon();
	term.loadAddon(fit);
	fit.fit();

	// Tab belongs to the shell (completion); Escape then Tab moves focus on, as in code editors.
	let escaped = false;
	term.attachCustomKeyEventHandler((event) => {
		if (event.type !== 'keydown') return true;
		if (event.key === 'Tab' && escaped) {
			escaped = false;
			return false;
		}
		escaped = event.key === 'Escape';
		return true;
	});

	let socket: WebSocket | null = null;
	let open = false;
	/** The size `init` announced; the screen may have changed before the shell ran. */
	let announced = { cols: 0, rows: 0 };
	const encoder = new TextEncoder();

	const send = (bytes: Uint8Array) => {
		if (!open || !socket) return;
		for (let at = 0; at < bytes.length; at += CHUNK_BYTES) socket.send(bytes.subarray(at, at + CHUNK_BYTES));
	};
	term.onData((data) => send(encoder.encode(data)));
	term.onBinary((data) => send(Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff)));
	term.onResize(({ cols, rows }) => {
		if (open) socket?.send(JSON.stringify({ type: 'resize', cols, rows }));
	});

	let frame = 0;
	const observer = new ResizeObserver(() => {
		cancelAnimationFrame(frame);
		frame = requestAnimationFrame(() => fit.fit());
	});
	observer.observe(element);

	function connect(): void {
		socket?.close(1000);
		open = false;
		term.reset();
		term.options.disableStdin = false;
		handlers.connecting();
		const current = openTerminalSocket(applicationId);
		socket = current;
		current.addEventListener('open', () => {
			announced = { cols: term.cols, rows: term.rows };
			current.send(JSON.stringify({ type: 'init', ...announced }));
		});
		current.addEventListener('message', (event) => {
			if (socket !== current) return;
			if (event.data instanceof ArrayBuffer) {
				term.write(new Uint8Array(event.data));
				return;
			}
			const message = JSON.parse(String(event.data));
			if (message.type === 'ready') {
				open = true;
				if (term.cols !== announced.cols || term.rows !== announced.rows) {
					current.send(JSON.stringify({ type: 'resize', cols: term.cols, rows: term.rows }));
				}
				handlers.ready(message as Ready);
				term.focus();
			}
		});
		current.addEventListener('close', (event) => {
			if (socket !== current) return;
			open = false;
			term.options.disableStdin = true;
			handlers.closed({ code: event.code, reason: event.reason });
		});
	}

	return {
		connect,
		focus: () => term.focus(),
		dispose() {
			const current = socket;
			socket = null;
			current?.close(1000);
			observer.disconnect();
			cancelAnimationFrame(frame);
			term.dispose();
			document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => !sheets.has(s));
		}
	};
}

/**
 * xterm.js writes the styles it computes (cell size, colours, scrollbar) into `<style>`
 * elements it creates, and Ployer's CSP allows no inline `<style>` (not even an empty one).
 * While `build` runs (xterm creates them when it opens), asking for a `<style>` element gives
 * an inert `<template>` instead: what xterm writes to its `textContent` goes into a
 * constructed stylesheet adopted by the document (CSSOM, which the CSP allows), dropped again
 * when xterm removes the element. xterm only ever sets `textContent` and calls `remove()`.
 */
function withConstructedStyles<T>(sheets: Set<CSSStyleSheet>, build: () => T): T {
	const create = Document.prototype.createElement;
	const patched = function (this: Document, tagName: string, options?: ElementCreationOptions): HTMLElement {
		if (tagName.toLowerCase() !== 'style') return create.call(this, tagName, options);
		const element = create.call(this, 'template');
		adopt(element, sheets);
		return element;
	};
	Object.defineProperty(document, 'createElement', { value: patched, configurable: true, writable: true });
	try {
		return build();
	} finally {
		delete (document as { createElement?: unknown }).createElement;
	}
}

function adopt(element: HTMLElement, sheets: Set<CSSStyleSheet>): void {
	const sheet = new CSSStyleSheet();
	sheets.add(sheet);
	document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
	let text = '';
	Object.defineProperty(element, 'textContent', {
		configurable: true,
		get: () => text,
		set: (value: string | null) => {
			text = value ?? '';
			sheet.replaceSync(text);
		}
	});
	const remove = element.remove.bind(element);
	element.remove = () => {
		sheets.delete(sheet);
		document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
		remove();
	};
}
