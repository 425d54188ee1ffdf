// The public scripts API of this server, with the token the person pasted.
//
// The token lives in sessionStorage only: it goes in the Authorization header, never in a URL,
// and the browser forgets it when the tab's session ends.

const TOKEN_KEY = "fluxparams.token";

export function savedToken() {
  return sessionStorage.getItem(TOKEN_KEY) || "";
}

export function saveToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  // What the page shows: the server's own words, with the status.
  get text() {
    return `${this.message} (${this.status} ${this.code})`;
  }
}

async function errorOf(response) {
  let code = response.statusText || "error";
  let message = `HTTP ${response.status}`;
  try {
    const body = await response.json();
    if (body && typeof body.message === "string") message = body.message;
    if (body && typeof body.code === "string") code = body.code;
  } catch {
    // not JSON (a proxy's page, say): the status is all there is to show
  }
  return new ApiError(response.status, code, message);
}

export async function request(method, path, body, accept = "application/json") {
  const headers = { Authorization: `Token ${savedToken()}`, Accept: accept };
  const init = { method, headers, cache: "no-store" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = typeof body === "string" ? body : JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, "network", `the server did not answer: ${e.message}`);
  }
  if (!response.ok) throw await errorOf(response);
  return response;
}

const scriptPath = (id) => `/api/v2/scripts/${encodeURIComponent(id)}`;

export async function listScripts() {
  // Every script of the organization, a page of 500 at a time.
  const all = [];
  for (let offset = 0; ; offset += 500) {
    const response = await request("GET", `/api/v2/scripts?limit=500&offset=${offset}`);
    const page = (await response.json()).scripts || [];
    all.push(...page);
    if (page.length < 500) return all;
  }
}

export async function getScript(id) {
  return (await request("GET", scriptPath(id))).json();
}

export async function createScript(name, description, script) {
  const body = { name, description, language: "flux", script };
  return (await request("POST", "/api/v2/scripts", body)).json();
}

export async function updateScript(id, description, script) {
  return (await request("PATCH", scriptPath(id), { description, script })).json();
}

export async function deleteScript(id) {
  // Read the (empty) body: a response left unread is cancelled, which the browser logs as an
  // aborted request.
  await (await request("DELETE", scriptPath(id))).text();
}

export async function scriptParams(id) {
  return ((await (await request("GET", `${scriptPath(id)}/params`)).json()).params) || {};
}

export async function invoke(id, bodyText) {
  const response = await request("POST", `${scriptPath(id)}/invoke`, bodyText, "text/csv");
  return response.text();
}

export async function diagnostics(script) {
  return (await request("POST", "/api/v2/fluxparams/diagnostics", { script })).json();
}
