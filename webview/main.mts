// Webview entry: one bundle for both views; <body data-view="editor|detail"> picks which one runs.
// An ES module (.mts): the toolkit is ESM-only, and its components are imported by name so esbuild leaves
// the unused ones out (the bundle the webview parses before its first paint shrinks by two thirds).
import { provideVSCodeDesignSystem, vsCodeButton, vsCodePanels, vsCodePanelTab, vsCodePanelView, vsCodeTextField } from '@vscode/webview-ui-toolkit';
import { connectToHost } from './common/vscodeApi.js';
import { el } from './common/dom.js';
import { startDetail, type DetailState } from './detail/detailApp.js';
import { startEditor, type EditorState } from './editor/editorApp.js';

function main(): void {
  // Views are built after registration so components upgrade on insertion.
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeTextField(), vsCodePanels(), vsCodePanelTab(), vsCodePanelView());
  const root = document.getElementById('app') ?? document.body;
  const view = document.body.dataset.view;
  if (view === 'editor') startEditor(root, connectToHost<EditorState>());
  else if (view === 'detail') startDetail(root, connectToHost<DetailState>());
  else root.appendChild(el('p', { text: `Unknown view: ${view ?? '(none)'}` }));
}

main();
