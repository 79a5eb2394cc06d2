// Remote servers as the UI words them: the step a validation failed at, whether the last
// check failed, and whether a recorded failure was the host key changing (the one failure an
// admin resolves in the UI).
import type { ServerFailure } from './graphql/generated/graphql';

/** The step that failed, in words, per `ServerFailure`. */
export const FAILURE_LABELS: Record<ServerFailure, string> = {
	UNREACHABLE: 'Host unreachable',
	CONNECTION_REFUSED: 'Connection refused',
	HOST_KEY_CHANGED: 'Host key changed',
	AUTHENTICATION_REFUSED: 'Key not accepted',
	DOCKER_UNAVAILABLE: 'Docker engine unavailable',
	SSH_ERROR: 'SSH failed'
};

/** What a validation's outcome is called: the failed step, or "Reachable". */
export function outcomeLabel(failure: ServerFailure | null | undefined, reachable: boolean): string {
	if (failure) return FAILURE_LABELS[failure];
	return reachable ? 'Reachable' : 'Unreachable';
}

/** Whether the last check failed: `unreachable` (a validation) or `offline` (a periodic check). */
export function failing(status: string): boolean {
	return status === 'unreachable' || status === 'offline';
}

/**
 * Whether a server's `lastError` is the host key changing. The failure's kind is only in the
 * validation's payload; after a reload the recorded message is all there is, and the server
 * words it "the host key of ADDRESS changed: …".
 */
export function hostKeyChangedIn(lastError: string | null | undefined): boolean {
	return !!lastError && /\bhost key of \S+ changed\b/i.test(lastError);
}
