// The only place that talks to the server. Queries and mutations go over HTTP with urql,
// subscriptions over one graphql-ws websocket. The session lives in an HttpOnly cookie the
// server sets at sign-in, so no script here ever holds a credential: requests carry the
// cookie, and the websocket's upgrade request does too.
import { Client, fetchExchange, type AnyVariables, type TypedDocumentNode } from '@urql/core';
import { print } from 'graphql';
import { createClient, type Client as WsClient } from 'graphql-ws';

/** A GraphQL error as the UI shows it: the server's message, its code and the input field. */
export class ApiError extends Error {
	constructor(
		message: string,
		readonly code: string,
		readonly field: string | null = null
	) {
		super(message);
	}
}

/** An error as a form shows it: at the field the server named (`extensions.field`), if any. */
export function fieldError(e: unknown): { field: string | null; message: string } {
	return { field: e instanceof ApiError ? e.field : null, message: e instanceof Error ? e.message : String(e) };
}

/**
 * A field's error as shown beside that field: the server puts the field's API name in front
 * (`managerServerId: the server … has not been validated yet`), which the label already says.
 */
export function atField(error: { field: string | null; message: string }): string {
	return error.field && error.message.startsWith(`${error.field}: `) ? error.message.slice(error.field.length + 2) : error.message;
}

type Listener = () => void;

/** What the rest of the UI needs to know about the connection, kept as plain callbacks. */
const hooks = {
	/** The server no longer accepts the session (expired, revoked, signed out elsewhere). */
	unauthenticated: new Set<Listener>(),
	/** The websocket went down or came back. */
	connection: new Set<(up: boolean) => void>()
};

export function onUnauthenticated(listener: Listener): () => void {
	hooks.unauthenticated.add(listener);
	return () => hooks.unauthenticated.delete(listener);
}

export function onConnectionChange(listener: (up: boolean) => void): () => void {
	hooks.connection.add(listener);
	return () => hooks.connection.delete(listener);
}

const http = new Client({
	url: '/graphql',
	exchanges: [fetchExchange],
	requestPolicy: 'network-only',
	preferGetMethod: false,
	fetchOptions: () => ({ credentials: 'same-origin' })
});

interface RawError {
	message: string;
	extensions?: { code?: string; field?: string };
}

function toApiError(errors: readonly RawError[] | undefined, fallback: string): ApiError {
	const first = errors?.[0];
	const code = first?.extensions?.code ?? 'INTERNAL';
	if (code === 'UNAUTHENTICATED') hooks.unauthenticated.forEach((l) => l());
	return new ApiError(first?.message ?? fallback, code, first?.extensions?.field ?? null);
}

async function run<Data, Variables extends AnyVariables>(
	kind: 'query' | 'mutation',
	document: TypedDocumentNode<Data, Variables>,
	variables: Variables
): Promise<Data> {
	const result =
		kind === 'query'
			? await http.query(document, variables).toPromise()
			: await http.mutation(document, variables).toPromise();
	if (result.error) {
		const graphQLErrors = result.error.graphQLErrors.map((e) => ({
			message: e.message,
			extensions: e.extensions as RawError['extensions']
		}));
		if (graphQLErrors.length > 0) throw toApiError(graphQLErrors, result.error.message);
		const status = (result.error.response as Response | undefined)?.status;
		if (status === 401) throw toApiError([{ message: 'sign in again', extensions: { code: 'UNAUTHENTICATED' } }], '');
		throw new ApiError('Ployer cannot be reached; check your connection and try again.', 'UNAVAILABLE');
	}
	if (result.data === undefined) throw new ApiError('the server sent no data', 'INTERNAL');
	return result.data;
}

export function query<Data, Variables extends AnyVariables>(
	document: TypedDocumentNode<Data, Variables>,
	variables: Variables
): Promise<Data> {
	return run('query', document, variables);
}

export function mutate<Data, Variables extends AnyVariables>(
	document: TypedDocumentNode<Data, Variables>,
	variables: Variables
): Promise<Data> {
	return run('mutation', document, variables);
}

let ws: WsClient | null = null;


function socket(): WsClient {
	if (ws) return ws;
	const url = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/graphql/ws`;
	ws = createClient({
		url,
		lazy: true,
		// The cookie on the upgrade request is the credential; the payload stays empty.
		connectionParams: {},
		keepAlive: 15_000,
		// Reconnecting is done below, so that each subscription resumes with fresh variables.
		retryAttempts: 0,
		on: {
			connected: () => {
				failures = 0;
				hooks.connection.forEach((l) => l(true));
			},
			closed: (event) => {
				// The lazy socket closes by itself once the last subscription has ended (a
				// container's log when it stops, leaving a page): that is no outage.
				if (active.size === 0) return;
				hooks.connection.forEach((l) => l(false));
				if (event instanceof CloseEvent && event.code === 4403) {
					hooks.unauthenticated.forEach((l) => l());
					return;
				}
				scheduleRestart();
			}
		}
	});
	return ws;
}

/** Forgets the websocket (after signing out), so the next subscription authenticates anew. */
export function resetSocket(): void {
	ws?.dispose();
	ws = null;
	hooks.connection.forEach((l) => l(true));
}

export interface SubscriptionHandlers<Data> {
	next: (data: Data) => void;
	error?: (error: ApiError) => void;
	complete?: () => void;
}

/** Active subscriptions, each able to start itself again on a new connection. */
const active = new Set<{ restart: () => void }>();

/**
 * Starts a subscription and returns its stop function. When the websocket drops, every
 * active subscription starts again on the next connection with the variables `variables()`
 * gives then, so a caller resumes from what it already has (a log viewer passes its last
 * seq): no gap, no duplicate.
 */
export function subscribe<Data, Variables extends Record<string, unknown>>(
	document: TypedDocumentNode<Data, Variables>,
	variables: () => Variables,
	handlers: SubscriptionHandlers<Data>
): () => void {
	const query = print(document);
	let stop: () => void = () => {};
	const start = () => {
		stop = socket().subscribe<Data>(
			{ query, variables: variables() },
			{
				next: (result) => {
					if (result.errors?.length) {
						handlers.error?.(toApiError(result.errors as RawError[], 'subscription failed'));
					} else if (result.data) {
						handlers.next(result.data as Data);
					}
				},
				error: (error) => {
					if (Array.isArray(error)) {
						active.delete(entry);
						handlers.error?.(toApiError(error as RawError[], 'subscription failed'));
					}
					// A closed connection: `closed` below starts it again.
				},
				complete: () => {
					active.delete(entry);
					handlers.complete?.();
				}
			}
		);
	};
	const entry = {
		restart: () => {
			stop();
			start();
		}
	};
	active.add(entry);
	start();
	return () => {
		active.delete(entry);
		stop();
	};
}

let failures = 0;
let restartTimer: ReturnType<typeof setTimeout> | null = null;

/** After a lost connection: every active subscription starts again, after a backoff. */
function scheduleRestart(): void {
	if (restartTimer !== null || active.size === 0) return;
	const delay = Math.min(500 * 2 ** failures, 10_000) * (0.75 + Math.random() / 2);
	failures++;
	restartTimer = setTimeout(() => {
		restartTimer = null;
		for (const entry of [...active]) entry.restart();
	}, delay);
}

/**
 * The web terminal's websocket of an application: not GraphQL, but the same origin and the
 * same credential (the session cookie on the upgrade request). The server closes it with a
 * code and a reason in words; 4401 means the session ended, which the UI handles as it
 * does everywhere else. The protocol itself is `$lib/terminal`'s.
 */
export function openTerminalSocket(applicationId: string): WebSocket {
	const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
	const socket = new WebSocket(`${scheme}//${location.host}/applications/${encodeURIComponent(applicationId)}/terminal/ws`);
	socket.binaryType = 'arraybuffer';
	socket.addEventListener('close', (event) => {
		if (event.code === 4401) hooks.unauthenticated.forEach((l) => l());
	});
	return socket;
}
