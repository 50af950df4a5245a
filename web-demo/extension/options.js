// Self-hosted GitLab hosts are optional host permissions, asked for here; the
// service worker registers the content script on whatever has been granted.
// The manifest's own hosts (content scripts, the GitHub diff fetch): not self-hosted GitLab hosts.
const manifest = chrome.runtime.getManifest();
const BUILT_IN = [...manifest.content_scripts.flatMap((c) => c.matches), ...(manifest.host_permissions ?? [])];
const list = document.getElementById("hosts");
const message = document.getElementById("message");

async function show() {
  const { origins = [] } = await chrome.permissions.getAll();
  const hosts = origins.filter((o) => !BUILT_IN.includes(o));
  list.replaceChildren(...hosts.map((origin) => {
    const li = document.createElement("li");
    const name = document.createElement("code");
    name.textContent = origin.replace(/\/\*$/, "");
    const remove = document.createElement("button");
    remove.type = "button";
    remove.textContent = "Remove";
    remove.addEventListener("click", async () => {
      await chrome.permissions.remove({ origins: [origin] });
      show();
    });
    li.append(name, remove);
    return li;
  }));
  if (!hosts.length) {
    const li = document.createElement("li");
    li.textContent = "None yet.";
    list.append(li);
  }
}

document.getElementById("add").addEventListener("submit", async (e) => {
  e.preventDefault();
  let url;
  try {
    url = new URL(document.getElementById("host").value);
  } catch {
    message.textContent = "Enter the GitLab address, e.g. https://gitlab.example.com";
    return;
  }
  if (!/^https?:$/.test(url.protocol)) {
    message.textContent = "Only http and https addresses can be added.";
    return;
  }
  const origin = `${url.protocol}//${url.hostname}/*`;
  const granted = await chrome.permissions.request({ origins: [origin] });
  message.textContent = granted ? `Added ${url.hostname}.` : "Permission was not granted.";
  show();
});

show();
