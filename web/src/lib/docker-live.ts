// Keeps a Docker page current while it is open: the engine's events (`dockerEvents`) of
// the kinds the page shows make it read its data again, once per burst. The first event of
// a burst schedules one read ~300 ms on, and what arrives in between rides along, so a
// `docker run` (create, connect, mount, start) is one read, and a steady trickle of events
// still gets one read every 300 ms rather than never. A subscription that starts again
// after a lost connection reads again too: what happened meanwhile was not sent to it.
import { subscribe } from '$lib/graphql/client';
import type { DockerEventsSubscription as Events, DockerObjectType } from '$lib/graphql/generated/graphql';
import { DockerEventsSubscription } from '$lib/graphql/operations/docker';

export type DockerEvent = Events['dockerEvents'];

export const REFETCH_DELAY_MS = 300;

/**
 * Calls `refetch` after events of `types` for which `relevant` holds (all by default);
 * returns the function that stops following.
 */
export function followEngine(
	types: DockerObjectType[],
	refetch: () => void,
	relevant: (event: DockerEvent) => boolean = () => true
): () => void {
	let timer: ReturnType<typeof setTimeout> | null = null;
	let starts = 0;
	const soon = () => {
		timer ??= setTimeout(() => {
			timer = null;
			refetch();
		}, REFETCH_DELAY_MS);
	};
	const stop = subscribe(
		DockerEventsSubscription,
		() => {
			if (starts++ > 0) soon();
			return { types };
		},
		{
			next: ({ dockerEvents }) => {
				if (relevant(dockerEvents)) soon();
			}
		}
	);
	return () => {
		stop();
		if (timer !== null) clearTimeout(timer);
	};
}
