// A few dozen colours of VS Code's Light Modern, Dark Modern and Dark High Contrast themes, applied the
// way VS Code does it (CSS variables on <html> via CSSOM, a theme class on <body>), for the dev harness.

export type ThemeName = 'light' | 'dark' | 'hc';

const COMMON: Record<string, string> = {
  'font-family': 'system-ui, -apple-system, "Segoe UI", Ubuntu, "Droid Sans", sans-serif',
  'font-size': '13px',
  'font-weight': 'normal',
  'editor-font-family': '"DejaVu Sans Mono", "Droid Sans Mono", monospace',
  'editor-font-size': '12px',
};

const THEMES: Record<ThemeName, { bodyClass: string; colors: Record<string, string> }> = {
  light: {
    bodyClass: 'vscode-light',
    colors: {
      foreground: '#3b3b3b', 'editor-background': '#ffffff', descriptionForeground: '#717171', errorForeground: '#e51400',
      focusBorder: '#005fb8', 'list-activeSelectionBackground': '#e8e8e8', 'list-activeSelectionForeground': '#000000',
      'list-inactiveSelectionBackground': '#e4e6f1', 'list-hoverBackground': '#f2f2f2', 'list-focusOutline': '#005fb8',
      'panel-border': '#e5e5e5', 'widget-border': '#e5e5e5', 'editorWidget-background': '#f8f8f8',
      'textLink-foreground': '#005fb8', 'textLink-activeForeground': '#005fb8', 'textCodeBlock-background': '#f8f8f8',
      'textBlockQuote-background': '#f8f8f8', 'charts-blue': '#1a85ff', 'charts-green': '#388a34', 'charts-red': '#e51400',
      'charts-yellow': '#bf8803', 'charts-orange': '#d18616', 'editorWarning-foreground': '#bf8803',
      'inputValidation-errorBackground': '#f2dede', 'inputValidation-warningBackground': '#f6f5d2', 'inputValidation-errorBorder': '#be1100',
      'button-background': '#005fb8', 'button-foreground': '#ffffff', 'button-hoverBackground': '#0258a8',
      'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', 'button-secondaryHoverBackground': '#cccccc',
      'button-border': '#0000001a', 'input-background': '#ffffff', 'input-foreground': '#3b3b3b', 'input-border': '#cecece',
      'input-placeholderForeground': '#767676', 'dropdown-border': '#cecece', 'panelTitle-activeBorder': '#005fb8',
      'panelTitle-activeForeground': '#3b3b3b', 'panelTitle-inactiveForeground': '#3b3b3b99', 'panel-background': '#ffffff',
      'editorGroupHeader-tabsBackground': '#f8f8f8', 'symbolIcon-fieldForeground': '#007acc',
      'scrollbarSlider-background': '#64646466', 'scrollbarSlider-hoverBackground': '#646464b3',
    },
  },
  dark: {
    bodyClass: 'vscode-dark',
    colors: {
      foreground: '#cccccc', 'editor-background': '#1f1f1f', descriptionForeground: '#9d9d9d', errorForeground: '#f85149',
      focusBorder: '#0078d4', 'list-activeSelectionBackground': '#04395e', 'list-activeSelectionForeground': '#ffffff',
      'list-inactiveSelectionBackground': '#37373d', 'list-hoverBackground': '#2a2d2e', 'list-focusOutline': '#0078d4',
      'panel-border': '#2b2b2b', 'widget-border': '#313131', 'editorWidget-background': '#202020',
      'textLink-foreground': '#4daafc', 'textLink-activeForeground': '#4daafc', 'textCodeBlock-background': '#2b2b2b',
      'textBlockQuote-background': '#2b2b2b', 'charts-blue': '#3794ff', 'charts-green': '#89d185', 'charts-red': '#f14c4c',
      'charts-yellow': '#cca700', 'charts-orange': '#d18616', 'editorWarning-foreground': '#cca700',
      'inputValidation-errorBackground': '#5a1d1d', 'inputValidation-warningBackground': '#352a05', 'inputValidation-errorBorder': '#be1100',
      'button-background': '#0078d4', 'button-foreground': '#ffffff', 'button-hoverBackground': '#026ec1',
      'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc', 'button-secondaryHoverBackground': '#3c3c3c',
      'button-border': '#ffffff12', 'input-background': '#313131', 'input-foreground': '#cccccc', 'input-border': '#3c3c3c',
      'input-placeholderForeground': '#989898', 'dropdown-border': '#3c3c3c', 'panelTitle-activeBorder': '#0078d4',
      'panelTitle-activeForeground': '#cccccc', 'panelTitle-inactiveForeground': '#9d9d9d', 'panel-background': '#1f1f1f',
      'editorGroupHeader-tabsBackground': '#181818', 'symbolIcon-fieldForeground': '#75beff',
      'scrollbarSlider-background': '#79797966', 'scrollbarSlider-hoverBackground': '#646464b3',
    },
  },
  hc: {
    bodyClass: 'vscode-high-contrast',
    colors: {
      foreground: '#ffffff', 'editor-background': '#000000', descriptionForeground: '#ffffffb3', errorForeground: '#f48771',
      focusBorder: '#f38518', contrastBorder: '#6fc3df', contrastActiveBorder: '#f38518', 'list-focusOutline': '#f38518',
      'list-hoverBackground': '#00000000', 'panel-border': '#6fc3df', 'widget-border': '#6fc3df',
      'editorWidget-background': '#0c141f', 'textLink-foreground': '#21a6ff', 'textLink-activeForeground': '#21a6ff',
      'textCodeBlock-background': '#000000', 'charts-blue': '#3794ff', 'charts-green': '#89d185', 'charts-red': '#f14c4c',
      'charts-yellow': '#cca700', 'charts-orange': '#d18616', 'editorWarning-foreground': '#ffd370',
      'inputValidation-errorBackground': '#000000', 'inputValidation-errorBorder': '#6fc3df',
      'button-background': '#000000', 'button-foreground': '#ffffff', 'button-border': '#6fc3df',
      'button-secondaryForeground': '#ffffff', 'input-background': '#000000', 'input-foreground': '#ffffff',
      'input-border': '#6fc3df', 'input-placeholderForeground': '#ffffffb3', 'dropdown-border': '#6fc3df',
      'panelTitle-activeBorder': '#6fc3df', 'panelTitle-activeForeground': '#ffffff', 'panelTitle-inactiveForeground': '#ffffff',
      'panel-background': '#000000', 'symbolIcon-fieldForeground': '#75beff',
    },
  },
};

export function applyTheme(name: ThemeName): void {
  const theme = THEMES[name] ?? THEMES.dark;
  // Init scripts can run before <html> and <body> exist: wait for each.
  whenPresent(() => document.documentElement, document, (root) => {
    for (const [key, value] of Object.entries({ ...COMMON, ...theme.colors })) root.style.setProperty(`--vscode-${key}`, value);
    whenPresent(() => document.body, root, (body) => {
      body.classList.add(theme.bodyClass);
      body.setAttribute('data-vscode-theme-kind', theme.bodyClass);
    });
  });
}

function whenPresent<T extends Node>(get: () => T | null, parent: Node, then: (node: T) => void): void {
  const node = get();
  if (node) return then(node);
  const observer = new MutationObserver(() => {
    const found = get();
    if (found) {
      observer.disconnect();
      then(found);
    }
  });
  observer.observe(parent, { childList: true, subtree: true });
}
