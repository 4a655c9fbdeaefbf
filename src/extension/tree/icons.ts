// Theme icons (codicons with theme colours) for entries, actions and objects in the tree.
import * as vscode from 'vscode';
import type { EntrySummary } from '../../core/view/entries';

const color = (id: string) => new vscode.ThemeColor(id);

export const ACTION_ICONS: Record<string, vscode.ThemeIcon> = {
  CREATE: new vscode.ThemeIcon('diff-added', color('charts.green')),
  UPDATE: new vscode.ThemeIcon('diff-modified', color('charts.yellow')),
  REMOVE: new vscode.ThemeIcon('diff-removed', color('charts.red')),
  UNKNOWN: new vscode.ThemeIcon('question'),
  SNAPSHOT: new vscode.ThemeIcon('archive'),
};

const KIND_ICONS: Record<string, string> = {
  node: 'server', service: 'symbol-class', task: 'tasklist', network: 'globe', cluster: 'organization',
  secret: 'key', config: 'settings-gear', resource: 'symbol-property', extension: 'extensions', volume: 'database',
};

export function kindIcon(kind: string): vscode.ThemeIcon {
  return new vscode.ThemeIcon(KIND_ICONS[kind] ?? 'symbol-misc');
}

export function entryIcon(s: EntrySummary): vscode.ThemeIcon {
  switch (s.status) {
    case 'locked':
      return new vscode.ThemeIcon('lock', color('charts.orange'));
    case 'earlier-key':
      return new vscode.ThemeIcon('history', color('disabledForeground'));
    case 'undecryptable':
      return new vscode.ThemeIcon('error', color('errorForeground'));
    case 'corrupt':
      return new vscode.ThemeIcon('warning', color('editorWarning.foreground'));
    default:
      break;
  }
  if (s.confChange) return new vscode.ThemeIcon('organization', color('charts.blue'));
  if (s.empty) return new vscode.ThemeIcon('circle-outline', color('disabledForeground'));
  return ACTION_ICONS[s.actions[0]?.action ?? 'UNKNOWN'] ?? ACTION_ICONS.UNKNOWN;
}
