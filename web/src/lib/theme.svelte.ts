// Light or dark: follows the system until the user picks one, then remembers the choice.
export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'ployer.theme';

class Theme {
	choice = $state<ThemeChoice>('system');

	init(): void {
		const stored = localStorage.getItem(KEY);
		if (stored === 'light' || stored === 'dark') this.choice = stored;
		this.apply();
	}

	cycle(): void {
		this.choice = this.choice === 'system' ? 'dark' : this.choice === 'dark' ? 'light' : 'system';
		if (this.choice === 'system') localStorage.removeItem(KEY);
		else localStorage.setItem(KEY, this.choice);
		this.apply();
	}

	private apply(): void {
		const root = document.documentElement;
		if (this.choice === 'system') delete root.dataset.theme;
		else root.dataset.theme = this.choice;
	}
}

export const theme = new Theme();
