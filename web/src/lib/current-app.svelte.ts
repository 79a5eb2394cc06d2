// The application a page under /applications/[id] shows, shared by its tabs: loaded once,
// kept current by its deployments' live updates.
import { getContext, setContext } from 'svelte';
import { query } from './graphql/client';
import type { ApplicationFieldsFragment } from './graphql/generated/graphql';
import { ApplicationQuery } from './graphql/operations/applications';
import { errorText } from './format';

const KEY = Symbol('current-app');

export class CurrentApp {
	app = $state<ApplicationFieldsFragment | null>(null);
	loading = $state(true);
	error = $state<string | null>(null);
	missing = $state(false);

	id = $state('');

	/** Shows another application (the layout stays when moving between two). */
	show(id: string): void {
		if (id === this.id) return;
		this.id = id;
		this.app = null;
		this.loading = true;
		this.missing = false;
		void this.reload();
	}

	async reload(): Promise<void> {
		const id = this.id;
		try {
			const { application } = await query(ApplicationQuery, { id });
			if (id !== this.id) return;
			this.app = application ?? null;
			this.missing = application === null || application === undefined;
			this.error = null;
		} catch (e) {
			this.error = errorText(e);
		} finally {
			this.loading = false;
		}
	}
}

export function provideCurrentApp(app: CurrentApp): void {
	setContext(KEY, app);
}

export function currentApp(): CurrentApp {
	return getContext<CurrentApp>(KEY);
}
