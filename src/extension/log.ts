// The extension's output channel. Messages are about files, offsets and counts: never an unlock key,
// a data key or decrypted data (callers pass only such text; `redactKeys` is a last line of defence).
import * as vscode from 'vscode';

const UNLOCK_KEY = /SWMKEY-1-[A-Za-z0-9+/=]*/g;

export function redactKeys(text: string): string {
  return text.replace(UNLOCK_KEY, 'SWMKEY-1-<redacted>');
}

export class Log implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Swarm Raft', { log: true });

  info(message: string): void {
    this.channel.info(redactKeys(message));
  }

  warn(message: string): void {
    this.channel.warn(redactKeys(message));
  }

  error(message: string): void {
    this.channel.error(redactKeys(message));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
