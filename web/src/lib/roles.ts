// Roles as the UI uses them: what each may open, and the words shown for them. The server
// enforces every rule again; this only keeps the UI from offering what would be refused.
import type { Role } from './graphql/generated/graphql';

const RANK: Record<Role, number> = { VIEWER: 0, MEMBER: 1, ADMIN: 2 };

export const ROLES: Role[] = ['ADMIN', 'MEMBER', 'VIEWER'];

/** Whether `role` may do what `needed` may (admin ⊇ member ⊇ viewer). */
export function atLeast(role: Role | null | undefined, needed: Role): boolean {
	return role != null && RANK[role] >= RANK[needed];
}

export function roleName(role: Role): string {
	return role.toLowerCase();
}

/** What each role may do, in a sentence, for forms that pick one. */
export const ROLE_HINTS: Record<Role, string> = {
	ADMIN: 'everything, users and installation settings included',
	MEMBER: 'create, change and deploy applications',
	VIEWER: 'read only'
};
