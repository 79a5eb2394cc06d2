// /docker opens on its first tab.
import { redirect } from '@sveltejs/kit';

export function load(): never {
	redirect(307, '/docker/containers');
}
