// code-server has no flag for VS Code's developmentOptions.enableSmokeTestDriver, which the web
// workbench needs before it honours the `payload` URL parameter (extension development and test
// paths). This script runs before the page's own scripts and adds the option to the workbench
// configuration JSON in <meta id="vscode-workbench-web-configuration" data-settings> as soon as the
// element is parsed. Rewriting the HTML via request routing instead breaks the websockets.
export const enableSmokeTestDriverScript = `(() => {
  const patch = (el) => {
    if (!el || el.dataset.swarmRaftPatched) return;
    const raw = el.getAttribute('data-settings');
    if (!raw) return;
    try {
      const config = JSON.parse(raw);
      config.developmentOptions = { ...(config.developmentOptions || {}), enableSmokeTestDriver: true };
      el.setAttribute('data-settings', JSON.stringify(config));
      el.dataset.swarmRaftPatched = '1';
    } catch (e) { console.error('swarm-raft harness: cannot patch workbench config', e); }
  };
  const find = () => document.getElementById('vscode-workbench-web-configuration');
  const observer = new MutationObserver(() => { const el = find(); if (el) { patch(el); observer.disconnect(); } });
  observer.observe(document, { childList: true, subtree: true });
})();`;
