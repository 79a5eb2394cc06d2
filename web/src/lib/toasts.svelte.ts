import { errorText } from './format';

// One toast per mutation result: what happened, or why it did not.
export interface Toast {
	id: number;
	kind: 'success' | 'error';
	message: string;
}

let next = 1;

class Toasts {
	items = $state<Toast[]>([]);

	push(kind: Toast['kind'], message: string): void {
		const id = next++;
		this.items.push({ id, kind, message });
		setTimeout(() => this.dismiss(id), kind === 'error' ? 8000 : 4000);
	}

	success(message: string): void {
		this.push('success', message);
	}

	error(error: unknown): void {
		this.push('error', errorText(error));
	}

	dismiss(id: number): void {
		this.items = this.items.filter((t) => t.id !== id);
	}
}

export const toasts = new Toasts();

/** Runs a mutation, toasting its outcome; returns its result, or null when it failed. */
export async function withToast<T>(action: () => Promise<T>, success: string): Promise<T | null> {
	try {
		const result = await action();
		toasts.success(success);
		return result;
	} catch (error) {
		toasts.error(error);
		return null;
	}
}
