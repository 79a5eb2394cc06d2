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
	// To the sign-in page first: forgetting the user while still in the shell would start
	// the shell's own "who is this?" check, which races this navigation.
	await goto('/login');
	session.signedOut(everywhere ? 'Signed out on every device.' : 'Signed out.');
}
