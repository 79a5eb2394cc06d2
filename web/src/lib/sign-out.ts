// Signing out, from the sidebar or the account page: this browser only, or every session
// of the user (other browsers and API tokens from `login`; API keys stay valid).
import { goto } from '$app/navigation';
import { mutate } from './graphql/client';
import { LogoutEverywhereMutation, LogoutMutation } from './graphql/operations/session';
import { session } from './session.svelte';
import { toasts } from './toasts.svelte';

export async function signOut(everywhere: boolean): Promise<void> {
	try {
		if (everywhere) await mutate(LogoutEverywhereMutation, {});
		else await mutate(LogoutMutation, {});
	} catch (error) {
		toasts.error(error);
		return;
	}
	session.signedOut(everywhere ? 'Signed out on every device.' : 'Signed out.');
	await goto('/login');
}
