// Who is signed in, as the UI knows it. The credential itself is an HttpOnly cookie that no
// script can read; this only remembers the user the server last confirmed.
import { goto } from '$app/navigation';
import { page } from '$app/state';
import { onUnauthenticated, query, resetSocket } from './graphql/client';
import { MeQuery } from './graphql/operations/session';
import type { Role } from './graphql/generated/graphql';

/** Not a credential: only whether this browser had a session, to tell "it ended" apart. */
const HAD_SESSION = 'ployer.hadSession';

export interface SessionUser {
	id: string;
	email: string;
	role: Role;
}

const ENDED = 'Your session has ended. Sign in again to continue.';

class Session {
	user = $state<SessionUser | null>(null);
	/** Shown on the sign-in page: why the user was sent there. */
	notice = $state<string | null>(null);

	get canEdit(): boolean {
		return this.user?.role === 'ADMIN' || this.user?.role === 'MEMBER';
	}

	get isAdmin(): boolean {
		return this.user?.role === 'ADMIN';
	}

	/** Asks the server who the cookie belongs to; null when nobody is signed in. */
	async load(): Promise<SessionUser | null> {
		try {
			this.user = (await query(MeQuery, {})).me;
		} catch {
			this.user = null;
			if (localStorage.getItem(HAD_SESSION)) {
				localStorage.removeItem(HAD_SESSION);
				this.notice = ENDED;
			}
		}
		return this.user;
	}

	signedIn(user: SessionUser): void {
		this.user = user;
		this.notice = null;
		localStorage.setItem(HAD_SESSION, '1');
		resetSocket();
	}

	signedOut(notice: string | null = null): void {
		this.user = null;
		this.notice = notice;
		localStorage.removeItem(HAD_SESSION);
		resetSocket();
	}
}

export const session = new Session();

/** Where to go back to after signing in, from the current location. */
export function returnPath(): string {
	const here = page.url.pathname + page.url.search;
	return here.startsWith('/login') || here.startsWith('/setup') ? '/' : here;
}

// An expired or revoked session sends the user to sign in, and back here afterwards.
onUnauthenticated(() => {
	if (!session.user) return;
	const next = returnPath();
	session.signedOut(ENDED);
	void goto(`/login?next=${encodeURIComponent(next)}`);
});
