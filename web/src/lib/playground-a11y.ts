// What GraphiQL's markup lacks for assistive technology, added from outside while it runs:
// names for its CodeMirror text areas, keyboard access to the editor's scrolling area, and
// its operation tabs as a plain list of buttons (GraphiQL nests its buttons inside
// role="tab" items, which screen readers cannot operate). Kept up to date as GraphiQL
// re-renders; each change is made only when needed, so the observer settles at once.

/** Names for the editors' text areas, by the section GraphiQL puts each one in. */
function editorName(textarea: HTMLTextAreaElement): string | null {
	if (textarea.closest('.graphiql-query-editor')) return 'Query editor';
	if (textarea.closest('.result-window')) return 'Response';
	const tool = textarea.closest('.graphiql-editor-tool');
	if (tool) {
		// GraphiQL renders the variables editor first, then the headers editor.
		const editors = [...tool.querySelectorAll('.graphiql-editor')];
		const index = editors.findIndex((e) => e.contains(textarea));
		return index === 1 ? 'Request headers (JSON)' : 'Variables (JSON)';
	}
	return null;
}

function fix(root: HTMLElement): void {
	for (const textarea of root.querySelectorAll<HTMLTextAreaElement>('.CodeMirror textarea:not([aria-label])')) {
		const name = editorName(textarea);
		if (name) textarea.setAttribute('aria-label', name);
	}
	for (const scroller of root.querySelectorAll<HTMLElement>('.CodeMirror-scroll[tabindex="-1"]')) {
		scroller.setAttribute('tabindex', '0');
	}
	for (const list of root.querySelectorAll('ul.graphiql-tabs[role]')) list.removeAttribute('role');
	for (const item of root.querySelectorAll('li.graphiql-tab')) {
		if (item.hasAttribute('role')) item.removeAttribute('role');
		if (item.hasAttribute('aria-selected')) item.removeAttribute('aria-selected');
		const button = item.querySelector('.graphiql-tab-button');
		const active = item.classList.contains('graphiql-tab-active');
		if (button && button.hasAttribute('aria-current') !== active) {
			if (active) button.setAttribute('aria-current', 'true');
			else button.removeAttribute('aria-current');
		}
	}
}

/** Starts adapting GraphiQL's markup under `root`; returns the function that stops it. */
export function adaptPlayground(root: HTMLElement): () => void {
	const observer = new MutationObserver(() => fix(root));
	observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['role', 'aria-selected', 'class', 'tabindex'] });
	fix(root);
	return () => observer.disconnect();
}
