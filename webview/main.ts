// Webview entry: one bundle for both views; <body data-view="editor|detail"> picks which one runs.
import { connectToHost } from './common/vscodeApi';
import { el } from './common/dom';
import { startDetail, type DetailState } from './detail/detailApp';
import { startEditor, type EditorState } from './editor/editorApp';

async function main(): Promise<void> {
  // The toolkit is ESM-only; a dynamic import keeps tsc happy in this CommonJS-typed tree and esbuild
  // inlines it into the IIFE. Views are built after registration so components upgrade on insertion.
  const toolkit = await import('@vscode/webview-ui-toolkit');
  toolkit.provideVSCodeDesignSystem().register(
    toolkit.vsCodeButton(),
    toolkit.vsCodeTextField(),
    toolkit.vsCodePanels(),
    toolkit.vsCodePanelTab(),
    toolkit.vsCodePanelView(),
  );

  const root = document.getElementById('app') ?? document.body;
  const view = document.body.dataset.view;
  if (view === 'editor') startEditor(root, connectToHost<EditorState>());
  else if (view === 'detail') startDetail(root, connectToHost<DetailState>());
  else root.appendChild(el('p', { text: `Unknown view: ${view ?? '(none)'}` }));
}

void main();
