// The page: token, scripts list, editor with live findings, params form, run and results.
// Every text that comes from the server or the person is set with textContent (or as a form
// value); nothing is ever parsed as HTML.

import * as api from "./api.js";
import { Editor, characterColumn, indexOf } from "./editor.js";
import { chartElement, chartSeries, resultTables, tableElement } from "./results.js";
import { FORMATS, invokeBody, validateParam } from "./validate.js";

const $ = (id) => document.getElementById(id);
const DIAGNOSTICS_DELAY_MS = 250;

const state = {
  scripts: [],
  current: null, // the open script as the API returned it; null while a new one is unsaved
  params: {}, // the open script's params, name -> type, from GET /params
  fields: [], // [{name, type, input, error}] of the params form
  loading: null, // the token whose list is being loaded
  submitted: null, // the last token taken from the input
  active: null, // the token the list was last loaded with
  diagnosticsTimer: 0,
  diagnosticsSeq: 0,
};

const editor = new Editor($("script"), $("mirror"));

function say(element, text, isError = false) {
  element.textContent = text;
  element.classList.toggle("error", isError);
}

function explain(e) {
  return e instanceof api.ApiError ? e.text : String(e.message || e);
}

// -- token and list ------------------------------------------------------------------------------

async function useToken(token) {
  if (state.loading === token) return;
  state.loading = token;
  state.submitted = token;
  api.saveToken(token);
  say($("status"), token ? "Loading scripts…" : "");
  try {
    if (token) {
      await loadScripts();
      // Another organization's token: the open script is not one of its scripts.
      if (token !== state.active) closeEditor();
      state.active = token;
    } else {
      clearAll();
    }
  } catch (e) {
    if (e instanceof api.ApiError && e.status === 401) api.saveToken("");
    state.active = null;
    clearAll();
    say($("status"), explain(e), true);
  } finally {
    state.loading = null;
  }
}

function clearAll() {
  state.scripts = [];
  renderList();
  closeEditor();
}

async function loadScripts() {
  state.scripts = await api.listScripts();
  renderList();
  const n = state.scripts.length;
  say($("status"), `${n} script${n === 1 ? "" : "s"}`);
}

function renderList() {
  const filter = $("filter").value.trim().toLowerCase();
  const items = [];
  for (const script of state.scripts) {
    if (filter && !script.name.toLowerCase().includes(filter)) continue;
    const li = document.createElement("li");
    if (state.current && state.current.id === script.id) li.className = "current";
    const open = document.createElement("button");
    open.type = "button";
    open.textContent = script.name;
    open.addEventListener("click", () => openScript(script.id));
    const description = document.createElement("span");
    description.className = "description";
    description.textContent = script.description;
    const updated = document.createElement("time");
    updated.dateTime = script.updatedAt;
    updated.textContent = `updated ${script.updatedAt}`;
    li.append(open, description, updated);
    items.push(li);
  }
  $("scripts").replaceChildren(...items);
  $("empty").hidden = items.length > 0 || !api.savedToken();
}

// -- editing -------------------------------------------------------------------------------------

function showEditor(script) {
  state.current = script;
  $("edit-pane").hidden = false;
  $("edit-heading").textContent = script ? script.name : "New script";
  $("name").value = script ? script.name : "";
  // The API cannot rename a script (PATCH takes description and script only).
  $("name").readOnly = script !== null;
  $("description").value = script ? script.description : "";
  editor.value = script ? script.script : "";
  $("confirm").hidden = true;
  $("delete").hidden = script === null;
  say($("edit-message"), "");
  $("diagnostics").replaceChildren();
  $("diagnostics-summary").textContent = "";
  $("results").replaceChildren();
  say($("run-message"), "");
  $("run-pane").hidden = script === null;
  renderList();
  checkSoon(0);
}

function closeEditor() {
  state.current = null;
  state.params = {};
  state.fields = [];
  $("edit-pane").hidden = true;
  $("params").replaceChildren();
}

async function openScript(id) {
  try {
    const script = await api.getScript(id);
    showEditor(script);
    await loadParams();
  } catch (e) {
    say($("status"), explain(e), true);
  }
}

async function save() {
  const current = state.current;
  const description = $("description").value;
  const text = editor.value;
  say($("edit-message"), "Saving…");
  try {
    let saved;
    if (current === null) {
      saved = await api.createScript($("name").value, description, text);
    } else {
      saved = await api.updateScript(current.id, description, text);
    }
    state.current = saved;
    $("name").readOnly = true;
    $("delete").hidden = false;
    $("edit-heading").textContent = saved.name;
    $("run-pane").hidden = false;
    say($("edit-message"), current === null ? "Created." : "Saved.");
    await loadParams();
    await loadScripts();
  } catch (e) {
    say($("edit-message"), explain(e), true);
  }
}

function askDelete() {
  if (state.current === null) return;
  $("confirm-text").textContent = `Delete ${JSON.stringify(state.current.name)}?`;
  $("confirm").hidden = false;
  $("confirm-no").focus();
}

async function confirmDelete() {
  const current = state.current;
  $("confirm").hidden = true;
  if (current === null) return;
  try {
    await api.deleteScript(current.id);
    closeEditor();
    await loadScripts();
    say($("status"), `Deleted ${JSON.stringify(current.name)}.`);
  } catch (e) {
    say($("edit-message"), explain(e), true);
  }
}

// -- live findings -------------------------------------------------------------------------------

function checkSoon(delay = DIAGNOSTICS_DELAY_MS) {
  clearTimeout(state.diagnosticsTimer);
  state.diagnosticsTimer = setTimeout(checkNow, delay);
}

async function checkNow() {
  const text = editor.value;
  const seq = ++state.diagnosticsSeq;
  let answer;
  try {
    answer = await api.diagnostics(text);
  } catch (e) {
    if (seq === state.diagnosticsSeq) $("diagnostics-summary").textContent = explain(e);
    return;
  }
  // A slower answer for older text is dropped: only the latest text's findings are shown.
  if (seq !== state.diagnosticsSeq || editor.value !== text) return;
  showFindings(text, answer.diagnostics || []);
}

function showFindings(text, findings) {
  editor.mark(findings);
  const items = findings.map((f) => {
    const li = document.createElement("li");
    li.className = f.severity === "error" ? "error" : "warning";
    const at = document.createElement("button");
    at.type = "button";
    const line = f.line;
    const column = characterColumn(text, indexOf(text, f.line, f.column));
    at.textContent = `${line}:${column}`;
    at.title = "Select in the script";
    at.addEventListener("click", () => editor.select(f));
    li.append(at, document.createTextNode(` ${f.code} ${f.message}`));
    return li;
  });
  $("diagnostics").replaceChildren(...items);
  const errors = findings.filter((f) => f.severity === "error").length;
  const warnings = findings.length - errors;
  $("diagnostics-summary").textContent = findings.length === 0
    ? "No problems found."
    : `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`;
}

// -- params form and run -------------------------------------------------------------------------

async function loadParams() {
  if (state.current === null) return;
  try {
    state.params = await api.scriptParams(state.current.id);
  } catch (e) {
    state.params = {};
    say($("run-message"), explain(e));
  }
  buildForm();
}

function buildForm() {
  const previous = new Map(state.fields.map((f) => [`${f.name}\u0000${f.type}`, f]));
  const names = Object.keys(state.params).sort();
  const nodes = [];
  state.fields = names.map((name, i) => {
    const type = state.params[name];
    const id = `param-${i}`;
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = name;
    const input = document.createElement("input");
    input.id = id;
    input.name = name;
    input.autocomplete = "off";
    if (type === "bool") {
      input.type = "checkbox";
    } else if (type === "int" || type === "uint" || type === "float") {
      input.type = "number";
      input.step = type === "float" ? "any" : "1";
      if (type === "uint") input.min = "0";
      input.inputMode = type === "float" ? "decimal" : "numeric";
    } else {
      input.type = "text";
      input.spellcheck = false;
      if (type === "duration") input.placeholder = "1h30m";
      if (type === "time") input.placeholder = "2026-11-26T10:00:00Z";
    }
    const format = document.createElement("span");
    format.className = "format";
    format.id = `${id}-format`;
    format.textContent = `${type}: ${FORMATS[type] || "text"}`;
    const error = document.createElement("span");
    error.className = "invalid";
    error.id = `${id}-error`;
    error.setAttribute("aria-live", "polite");
    input.setAttribute("aria-describedby", `${format.id} ${error.id}`);
    const field = { name, type, input, error };
    const old = previous.get(`${name}\u0000${type}`);
    if (old) {
      if (type === "bool") input.checked = old.input.checked;
      else input.value = old.input.value;
    }
    input.addEventListener("input", () => check(field));
    input.addEventListener("change", () => check(field));
    nodes.push(label, input, format, error);
    return field;
  });
  $("params").replaceChildren(...nodes);
  $("params-note").textContent = names.length === 0
    ? "This script uses no params."
    : "One field per param, typed as the script uses it. Run uses the saved script.";
}

function check(field) {
  const raw = field.type === "bool" ? field.input.checked : field.input.value;
  let result = validateParam(field.type, raw);
  if (field.input.validity.badInput) {
    // The browser kept text it cannot read as a number, and gives "" for it.
    result = { ok: false, message: `expected ${field.type}: this is not a number` };
  }
  field.error.textContent = result.ok ? "" : result.message;
  field.input.setAttribute("aria-invalid", result.ok ? "false" : "true");
  return result;
}

async function run() {
  const current = state.current;
  if (current === null) return;
  $("results").replaceChildren();
  const pairs = [];
  let invalid = 0;
  for (const field of state.fields) {
    const result = check(field);
    if (result.ok) pairs.push([field.name, result.json]);
    else invalid++;
  }
  if (invalid) {
    say($("run-message"), `Not run: ${invalid} param${invalid === 1 ? " is" : "s are"} not valid (see above).`);
    return;
  }
  const unsaved = editor.value !== current.script;
  say($("run-message"), "");
  $("run").disabled = true;
  try {
    const csv = await api.invoke(current.id, invokeBody(pairs));
    const tables = resultTables(csv);
    const nodes = [];
    const series = chartSeries(tables);
    if (series) nodes.push(chartElement(series));
    nodes.push(...tables.map(tableElement));
    $("results").replaceChildren(...nodes);
    say($("run-message"), tables.length === 0 ? "The script returned no tables." : "");
    if (unsaved) say($("run-message"), "Ran the saved script: your unsaved changes were not run.");
  } catch (e) {
    say($("run-message"), explain(e));
  } finally {
    $("run").disabled = false;
  }
}

// -- wiring --------------------------------------------------------------------------------------

$("token-form").addEventListener("submit", (event) => {
  event.preventDefault(); // Enter in the token field: take it, never submit a form anywhere
  useToken($("token").value.trim());
});
$("token").addEventListener("change", () => {
  // Enter already took it; leaving the field afterwards (change) must not ask again.
  const token = $("token").value.trim();
  if (token !== state.submitted) useToken(token);
});
$("forget").addEventListener("click", () => {
  $("token").value = "";
  useToken("");
});
$("filter").addEventListener("input", renderList);
$("new").addEventListener("click", () => {
  showEditor(null);
  $("name").focus();
});
$("save").addEventListener("click", save);
$("delete").addEventListener("click", askDelete);
$("confirm-yes").addEventListener("click", confirmDelete);
$("confirm-no").addEventListener("click", () => {
  $("confirm").hidden = true;
});
$("script").addEventListener("input", () => checkSoon());
$("run").addEventListener("click", run);
$("params").addEventListener("submit", (event) => {
  event.preventDefault();
  run();
});

const token = api.savedToken();
if (token) {
  $("token").value = token;
  useToken(token);
}
