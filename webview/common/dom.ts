// Small DOM builders. Data only ever reaches the page through textContent and setAttribute, never as
// markup: decoded names can contain `<img onerror=...>` or `</script>`.

export interface ElementOptions {
  className?: string;
  text?: string;
  attrs?: Record<string, string>;
  title?: string;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options?: ElementOptions,
  children?: (Node | null | undefined)[],
): HTMLElementTagNameMap[K];
export function el(tag: string, options?: ElementOptions, children?: (Node | null | undefined)[]): HTMLElement;
export function el(tag: string, options: ElementOptions = {}, children: (Node | null | undefined)[] = []): HTMLElement {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.text !== undefined) node.textContent = options.text;
  if (options.title !== undefined) node.title = options.title;
  for (const [name, value] of Object.entries(options.attrs ?? {})) node.setAttribute(name, value);
  for (const child of children) if (child) node.appendChild(child);
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  children: (Node | null)[] = [],
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  for (const child of children) if (child) node.appendChild(child);
  return node;
}

export function text(value: string): Text {
  return document.createTextNode(value);
}

export function clear(node: Node): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}

/** A toolkit button (vscode-button); `appearance` is 'primary', 'secondary' or 'icon'. */
export function button(
  label: string,
  onClick: () => void,
  options: { appearance?: 'primary' | 'secondary' | 'icon'; title?: string; className?: string } = {},
): HTMLElement {
  const node = el('vscode-button', {
    text: label,
    className: options.className,
    title: options.title,
    attrs: { appearance: options.appearance ?? 'secondary' },
  });
  if (options.title) node.setAttribute('aria-label', options.title);
  node.addEventListener('click', (event) => {
    event.stopPropagation();
    onClick();
  });
  return node;
}
