// Where a command writes something new (a repaired copy, a recovery kit): a new or empty local folder,
// named in a save dialog and checked before anything is written; a refused place is asked again.
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';

export interface OutputFolderQuestion {
  /** Proposed first. */
  defaultPath: string;
  title: string;
  saveLabel: string;
  /** What is written, for the error on a non-local place ("the copy", "the kit"). */
  what: string;
  /** Added to a refused place that exists, for the next proposal. */
  retrySuffix: string;
  /** Throws, with a message for the user, on a place that must not be written to. */
  check: (path: string) => void;
  /** The dialogs (tests answer them; default: VS Code's save dialog and error message). */
  prompts?: OutputFolderPrompts;
}

export interface OutputFolderPrompts {
  folder: (options: vscode.SaveDialogOptions) => Thenable<vscode.Uri | undefined>;
  refused: (message: string) => void;
}

/** VS Code's own dialogs (what a user answers). */
export const outputFolderDialogs: OutputFolderPrompts = {
  folder: (options) => vscode.window.showSaveDialog(options),
  refused: (message) => void vscode.window.showErrorMessage(message),
};

export async function askOutputFolder(q: OutputFolderQuestion): Promise<string | undefined> {
  const prompts = q.prompts ?? outputFolderDialogs;
  let defaultUri = vscode.Uri.file(q.defaultPath);
  for (;;) {
    const uri = await prompts.folder({ defaultUri, title: q.title, saveLabel: q.saveLabel });
    if (!uri) return undefined;
    try {
      if (uri.scheme !== 'file') throw new Error(`${q.what} is written to a local folder only`);
      q.check(uri.fsPath);
      return uri.fsPath;
    } catch (e) {
      prompts.refused((e as Error).message);
      defaultUri = vscode.Uri.file(existsSync(uri.fsPath) ? `${uri.fsPath}${q.retrySuffix}` : uri.fsPath);
    }
  }
}
