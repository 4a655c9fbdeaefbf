// Stands in for the VS Code executable that @vscode/test-electron's runTests() launches
// (`vscodeExecutablePath`), where desktop VS Code cannot be downloaded. It takes the same
// arguments (--extensionDevelopmentPath, --extensionTestsPath, --user-data-dir, --extensions-dir,
// a folder to open), runs the suite in code-server's extension host through Chromium, relays the
// extension host's console to stdout and exits with the suite's exit code.
// Which code-server: $SWARM_RAFT_CODE_SERVER ('oldest', 'newest' or a version).
import { appendFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { openBrowser, type BrowserSession } from './browser';
import { startCodeServer, type CodeServer } from './codeServer';
import { screenshot } from './screenshots';
import { codeServerInstall } from './tools';
import { workbenchUrl } from './workbench';

interface ShimArgs {
  extensionDevelopmentPath?: string;
  extensionTestsPath?: string;
  userDataDir?: string;
  extensionsDir?: string;
  folder?: string;
}

export function parseArgs(argv: string[]): ShimArgs {
  const out: ShimArgs = {};
  const valued: Record<string, keyof ShimArgs> = {
    '--extensionDevelopmentPath': 'extensionDevelopmentPath',
    '--extensionTestsPath': 'extensionTestsPath',
    '--user-data-dir': 'userDataDir',
    '--extensions-dir': 'extensionsDir',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const key = valued[name];
    if (key) out[key] = resolve(eq > 0 ? arg.slice(eq + 1) : argv[++i]);
    else if (!arg.startsWith('-')) out.folder = resolve(arg);
    // Other desktop flags (--no-sandbox, --disable-updates, ...) mean nothing to code-server.
  }
  return out;
}

/** The workbench sends each console call as the array of its arguments (format string first). */
function formatLogMessage(message: unknown): string {
  if (Array.isArray(message)) return format(...(message as unknown[]));
  return typeof message === 'string' ? message : JSON.stringify(message);
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (!args.extensionTestsPath || !args.extensionDevelopmentPath) {
    console.error('usage: code-server-shim --extensionDevelopmentPath=<dir> --extensionTestsPath=<index.js> [folder]');
    return 2;
  }
  const timeoutMs = Number(process.env.SWARM_RAFT_TEST_TIMEOUT_MS ?? 600_000);
  let server: CodeServer | undefined;
  let browser: BrowserSession | undefined;
  const install = codeServerInstall();
  const name = `extension-host-vscode-${install.vscodeVersion}`;
  const teardown = async (): Promise<void> => {
    await browser?.close();
    await server?.stop();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void teardown().then(() => process.exit(130)));
  }

  try {
    server = await startCodeServer({
      which: install.version,
      name,
      userDataDir: args.userDataDir,
      extensionsDir: args.extensionsDir,
    });
    const hostLog = join(server.logDir, 'extension-host.log');
    writeFileSync(hostLog, '');
    console.log(`[shim] VS Code ${server.install.vscodeVersion} (code-server ${server.install.version}) at ${server.origin}`);

    browser = await openBrowser({ name });
    const { page } = browser;
    let finish: (code: number) => void = () => undefined;
    const exitCode = new Promise<number>((r) => (finish = r));
    await page.exposeFunction('codeAutomationLog', (level: string, message: unknown) => {
      const text = formatLogMessage(message);
      appendFileSync(hostLog, `[${level}] ${text}\n`);
      (level === 'error' ? process.stderr : process.stdout).write(`${text}\n`);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => finish(code));
    page.on('crash', () => finish(1));

    await page.goto(
      workbenchUrl(server.origin, {
        folder: args.folder,
        extensionDevelopmentPath: args.extensionDevelopmentPath,
        extensionTestsPath: args.extensionTestsPath,
      }),
    );
    const timeout = new Promise<number>((r) =>
      setTimeout(() => {
        console.error(`[shim] no result after ${timeoutMs} ms`);
        r(1);
      }, timeoutMs).unref(),
    );
    const code = await Promise.race([exitCode, timeout]);
    await screenshot(page, name, 'final').catch(() => undefined);
    return code;
  } catch (error) {
    console.error(`[shim] ${error instanceof Error ? error.stack : String(error)}`);
    if (browser) await screenshot(browser.page, name, 'error').catch(() => undefined);
    return 1;
  } finally {
    await teardown();
  }
}

void main().then((code) => process.exit(code));
