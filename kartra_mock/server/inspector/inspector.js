// kartra-mock inspector: plain JavaScript over the control plane's JSON, no build step.
//
// Everything shown here is attacker-controlled (a lead's fields are whatever some program
// sent to /api), so the DOM is built with createElement and textContent only, never
// innerHTML; the page's Content-Security-Policy forbids inline script as a second fence.
//
// Live updates: every second, GET requests?since=<last seq> fetches only the new calls; the
// X-Journal-Clears header changes when calls were forgotten (reset, DELETE), and then the
// journal is reloaded whole. The state document is refetched when calls arrive, after an
// action, and every few seconds regardless (PUT /_mock/state writes no journal entry).
//
// One file on purpose (no build step, no module loader); its sections are marked "----".
// The Webhooks tab is the one other script, webhooks.js: it reuses this file's fetch, DOM
// helpers and poll through window.kartraInspector (see "shared" below).
"use strict";

(() => {
  const POLL_MS = 1000;
  const STATE_EVERY = 5; // polls between state refetches when no call arrived
  const KEEP = 500; // calls kept on the page, newest first
  const LEADS_SHOWN = 500; // rows in the leads table; search reaches the rest
  const TOKEN_KEY = "kartra-mock-admin-token";

  // ---- admin token: ?token=… once, then kept for this tab only --------------------------
  const query = new URLSearchParams(location.search);
  if (query.has("token")) {
    sessionStorage.setItem(TOKEN_KEY, query.get("token") || "");
    query.delete("token");
    const rest = query.toString();
    // Out of the address bar and the history: the token should not end up in a screenshot.
    history.replaceState(null, "", location.pathname + (rest ? "?" + rest : "") + location.hash);
  }
  const token = sessionStorage.getItem(TOKEN_KEY);

  class AuthError extends Error {}

  async function api(path, options = {}) {
    const headers = token ? { Authorization: "Bearer " + token } : {};
    // Relative URLs: the page works wherever /_mock/ is mounted (a proxy prefix included).
    const response = await fetch(path, { cache: "no-store", ...options, headers });
    if (response.status === 401) throw new AuthError("this server needs its admin token");
    if (!response.ok) {
      let message = "HTTP " + response.status;
      try {
        const body = await response.json();
        if (body && typeof body.error === "string") message += ": " + body.error;
      } catch (_) {
        /* not JSON: the status says enough */
      }
      throw new Error(message);
    }
    return response;
  }

  // ---- small DOM helpers (text only) ---------------------------------------------------
  function el(tag, className, ...children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function button(label, className, onClick) {
    const node = el("button", className, label);
    node.type = "button";
    node.addEventListener("click", onClick);
    return node;
  }

  // One entry of a journal (calls, deliveries): a <details> whose summary starts with the
  // entry's #seq and time, then `summary`.
  function journalItem(entry, className, ...summary) {
    const item = el("details", className);
    item.dataset.seq = String(entry.seq);
    const when = new Date(entry.time * 1000);
    item.append(
      el(
        "summary",
        null,
        el("span", "seq", "#" + entry.seq),
        el("time", "when", when.toLocaleTimeString([], { hour12: false })),
        ...summary,
      ),
    );
    return item;
  }

  // A list kept newest first and at most `keep` long: prepend what arrived, drop the oldest.
  function prependNewest(list, entries, render, keep) {
    for (const entry of entries.slice(-keep)) list.prepend(render(entry));
    while (list.children.length > keep) list.lastElementChild.remove();
  }

  // Hide the items a journal's filter rejects: its text (looked for in data-search), its
  // "problems only" box (data-problem), and `more`, a test of its own. Returns the count to
  // show: "12", or "3 of 12".
  function filterItems(items, text, problemsOnly, more = () => true) {
    const needle = text.trim().toLowerCase();
    let shown = 0;
    for (const item of items) {
      item.hidden = !(
        (!needle || item.dataset.search.includes(needle)) &&
        (!problemsOnly || item.dataset.problem === "yes") &&
        more(item)
      );
      if (!item.hidden) shown += 1;
    }
    return shown === items.length ? String(shown) : shown + " of " + items.length;
  }

  const $ = (id) => document.getElementById(id);
  const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  const values = (v) => (Array.isArray(v) ? v : isObject(v) ? Object.values(v) : []);

  // ---- what the page knows --------------------------------------------------------------
  let world = null; // the last state document
  let lastSeq = 0;
  // Whether the journal could be read at all (not behind the admin token, not down).
  let journalRead = false;
  let clears = null;
  let polls = 0;
  let paused = false;
  const view = { account: null, lead: null };

  // ---- routing: #/accounts/<api_key>[/leads/<id>] ---------------------------------------
  function readHash() {
    let parts = [];
    try {
      parts = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
    } catch (_) {
      /* a mangled hand-typed address: show the default view */
    }
    view.account = parts[0] === "accounts" && parts[1] ? parts[1] : null;
    view.lead = view.account && parts[2] === "leads" && parts[3] ? parts[3] : null;
  }

  function go(account, lead) {
    let hash = "#/accounts/" + encodeURIComponent(account);
    if (lead !== null && lead !== undefined) hash += "/leads/" + encodeURIComponent(lead);
    location.hash = hash;
  }

  function currentAccount() {
    if (!world || !Array.isArray(world.accounts)) return null;
    return world.accounts.find((a) => a.api_key === view.account) || null;
  }

  // ---- status line and notices -----------------------------------------------------------
  function setStatus(kind, text) {
    const node = $("status");
    node.className = "status " + kind;
    node.textContent = text;
  }

  function notice(text) {
    const node = $("notice");
    node.textContent = text || "";
    node.hidden = !text;
  }

  function failed(error) {
    journalRead = false;
    $("journal-empty").hidden = true;
    if (error instanceof AuthError) {
      setStatus("locked", "admin token needed");
      notice(
        "This kartra-mock was started with --admin-token. Open this page as " +
          location.pathname +
          "?token=<the token> (it is kept for this tab only).",
      );
    } else {
      setStatus("down", "cannot reach the mock — retrying");
      notice(String(error && error.message ? error.message : error));
    }
  }

  // ---- accounts and leads -----------------------------------------------------------------
  function renderAccounts() {
    const nav = $("accounts");
    const accounts = world && Array.isArray(world.accounts) ? world.accounts : [];
    nav.replaceChildren(
      ...accounts.map((account) => {
        const leads = Array.isArray(account.leads) ? account.leads.length : 0;
        const chip = button(
          "",
          "account" + (account.api_key === view.account ? " current" : ""),
          () => go(account.api_key, null),
        );
        chip.append(el("span", "key", account.api_key), el("span", "count", leads));
        if (account.active === false) chip.append(el("span", "badge off", "inactive"));
        chip.title = leads + (leads === 1 ? " lead" : " leads");
        return chip;
      }),
    );
    if (!accounts.length) nav.append(el("span", "empty", "no accounts"));
  }

  function leadName(lead) {
    return [lead.first_name, lead.last_name]
      .filter((part) => typeof part === "string" && part)
      .join(" ");
  }

  function matches(lead, needle) {
    if (!needle) return true;
    if (String(lead.id) === needle) return true;
    const haystack = [lead.email, leadName(lead)].join(" ").toLowerCase();
    return haystack.includes(needle);
  }

  function renderLeads() {
    const account = currentAccount();
    const body = $("leads");
    const empty = $("leads-empty");
    $("reset-account").disabled = !account;
    $("account-title").textContent = account ? "Leads of " + account.api_key : "Leads";
    if (!account) {
      body.replaceChildren();
      empty.textContent = world ? "No such account." : "Loading…";
      empty.hidden = false;
      return;
    }
    const needle = $("search").value.trim().toLowerCase();
    const leads = (Array.isArray(account.leads) ? account.leads : []).filter((lead) =>
      matches(lead, needle),
    );
    // Newest lead first: the one your code just created is at the top.
    leads.sort((a, b) => Number(b.id) - Number(a.id));
    body.replaceChildren(
      ...leads.slice(0, LEADS_SHOWN).map((lead) => {
        const row = el(
          "tr",
          "lead-row" +
            (String(lead.id) === view.lead ? " current" : "") +
            (lead.deleted ? " deleted" : ""),
          el("td", "id", lead.id),
          el("td", "email", lead.email),
          el("td", null, leadName(lead)),
          el("td", "tags", values(lead.tags).join(", ")),
          el("td", null, lead.deleted ? el("span", "badge off", "deleted") : null),
        );
        row.dataset.leadId = String(lead.id);
        row.addEventListener("click", () => go(account.api_key, lead.id));
        return row;
      }),
    );
    const total = Array.isArray(account.leads) ? account.leads.length : 0;
    if (leads.length > LEADS_SHOWN) {
      empty.textContent =
        "The newest " + LEADS_SHOWN + " of " + leads.length + " leads; search to find others.";
    } else {
      empty.textContent = total
        ? "No lead matches “" + needle + "”."
        : "No leads in this account yet.";
    }
    empty.hidden = leads.length > 0 && leads.length <= LEADS_SHOWN;
  }

  function optionLabel(field, id) {
    const option = values(field && field.options).find((o) => String(o.id) === String(id));
    return option ? option.value + " (" + id + ")" : String(id);
  }

  function customValue(field, value) {
    if (value === undefined || value === null || value === "") return null;
    if (Array.isArray(value)) return value.map((id) => optionLabel(field, id)).join(", ");
    if (field && Array.isArray(field.options) && field.options.length)
      return optionLabel(field, value);
    return String(value);
  }

  function definitionList(rows) {
    const list = el("dl", "fields");
    for (const [name, value] of rows) {
      list.append(
        el("dt", null, name),
        el("dd", value === null ? "unset" : null, value === null ? "—" : value),
      );
    }
    return list;
  }

  function chips(items, render) {
    if (!items.length) return el("p", "unset", "none");
    return el("ul", "chips", ...items.map((item) => el("li", null, ...render(item))));
  }

  function chipSection(title, items, render) {
    return el("div", null, el("h4", null, title), chips(items, render));
  }

  // A lead's "Fields": its profile (the documented fields, which the server names in the page's
  // <meta name="kartra-profile-fields">), its score and the day it joined. Its other keys have
  // sections of their own.
  const FIELD_KEYS = new Set([
    ...document.querySelector('meta[name="kartra-profile-fields"]').content.split(" "),
    "score",
    "date_joined",
  ]);

  function renderLead() {
    const panel = $("lead");
    const account = currentAccount();
    const lead = account && values(account.leads).find((l) => String(l.id) === view.lead);
    if (!lead) {
      panel.replaceChildren(
        el(
          "p",
          "empty",
          account && view.lead
            ? "No lead " + view.lead + " in this account."
            : "Select a lead to see its profile.",
        ),
      );
      return;
    }
    const remove = button("Delete lead", "danger", () => deleteLead(account.api_key, lead));
    remove.disabled = lead.deleted === true;
    const head = el(
      "div",
      "lead-head",
      el("h3", null, lead.email, " ", el("span", "muted", "#" + lead.id)),
      lead.deleted ? el("span", "badge off", "deleted") : el("span", "badge on", "active"),
      button("Show its calls", null, () => {
        $("filter").value = lead.email;
        applyFilter();
      }),
      remove,
    );
    const profile = Object.entries(lead)
      .filter(([key, value]) => FIELD_KEYS.has(key) && value !== "" && value !== null)
      .map(([key, value]) => [
        key,
        typeof value === "object" ? JSON.stringify(value) : String(value),
      ]);
    const definitions = values(account.custom_fields);
    const stored = isObject(lead.custom_fields) ? lead.custom_fields : {};
    const known = new Set(definitions.map((f) => f.identifier));
    const customs = definitions.map((f) => [f.identifier, customValue(f, stored[f.identifier])]);
    for (const [name, value] of Object.entries(stored)) {
      if (!known.has(name)) customs.push([name, customValue(null, value)]);
    }
    const lists = isObject(lead.lists)
      ? Object.entries(lead.lists)
      : values(lead.lists).map((n) => [n, true]);
    const sequences = isObject(lead.sequences) ? Object.entries(lead.sequences) : [];
    const calendars = values(lead.calendars);
    const points = values(lead.expiring_points);
    const parts = [
      head,
      el("h4", null, "Fields"),
      definitionList(profile),
      el("h4", null, "Custom fields"),
      customs.length
        ? definitionList(customs)
        : el("p", "unset", "the account has no custom fields"),
      el(
        "div",
        "columns",
        chipSection("Tags", values(lead.tags), (t) => [t]),
        chipSection("Lists", lists, ([name, on]) => [
          name,
          on ? null : el("span", "muted", " (unsubscribed)"),
        ]),
        chipSection("Sequences", sequences, ([name, at]) => [
          name,
          el(
            "span",
            "muted",
            " step " + (at && at.step) + (at && at.active === false ? ", stopped" : ""),
          ),
        ]),
      ),
      // Shown only when the lead has some.
      calendars.length
        ? chipSection("Calendars", calendars, (c) => [
            c.calendar + " · " + c["class"],
            el("span", "muted", c.start ? " " + c.start : ""),
          ])
        : null,
      points.length
        ? chipSection("Expiring points", points, (p) => [
            String(p.points),
            el("span", "muted", " until " + p.expires),
          ])
        : null,
    ];
    panel.replaceChildren(...parts.filter(Boolean));
  }

  // ---- the journal ------------------------------------------------------------------------
  function commands(params) {
    const names = values(params.actions)
      .map((action) => (isObject(action) && typeof action.cmd === "string" ? action.cmd : null))
      .filter(Boolean);
    if (params.get_lead !== undefined) names.unshift("get_lead");
    return names.length ? names.join(" → ") : "(no command)";
  }

  function subject(params) {
    for (const holder of [params.lead, params.get_lead]) {
      if (!isObject(holder)) continue;
      if (typeof holder.email === "string" && holder.email) return holder.email;
      if (typeof holder.id === "string" && holder.id) return "lead #" + holder.id;
    }
    return "";
  }

  // ---- outcome (pure: tests/kartra_mock/server/test_inspector.py runs it in node) ---------
  // What a call got, in one line, and whether it is a problem: a failed action inside a
  // top-level "Success" is one, and so are faults, 429s and unaccepted warnings.
  function outcome(entry) {
    const response = isObject(entry.response) ? entry.response : {};
    const fault = isObject(entry.fault) ? entry.fault : null;
    const injected = fault ? " (injected fault)" : "";
    const warnings = Array.isArray(entry.warnings) ? entry.warnings : [];
    const open = warnings.filter((w) => !(isObject(w) && w.accepted === true));
    const result = (kind, text) => ({
      kind: kind,
      ok: kind === "ok",
      text: text,
      warnings: open.length,
      accepted: warnings.length - open.length,
      problem: kind !== "ok" || open.length > 0,
    });
    if (entry.status_code === 0 || (fault && fault.kind === "drop"))
      return result("dropped", "no answer: connection dropped" + injected);
    if (entry.status_code === 429) return result("limited", "HTTP 429 rate limited" + injected);
    if (entry.status_code >= 500)
      return result("error", "HTTP " + entry.status_code + " server error" + injected);
    if (entry.status_code !== 200) return result("error", "HTTP " + entry.status_code + injected);
    if (response.status === "Error")
      return result("error", "Error " + response.type + ": " + response.message + injected);
    if (response.status !== "Success") return result("error", "no Kartra answer" + injected);
    const actions = Array.isArray(response.actions) ? response.actions : [];
    const failed = [];
    for (const action of actions) {
      if (!isObject(action)) continue;
      for (const [cmd, inner] of Object.entries(action)) {
        if (isObject(inner) && inner.status === "Error")
          failed.push(cmd + " Error " + inner.type + ": " + inner.message);
      }
    }
    if (failed.length) {
      const of = failed.length + " of " + actions.length;
      const noun = actions.length === 1 ? " action failed: " : " actions failed: ";
      return result("partial", "Success, but " + of + noun + failed.join("; ") + injected);
    }
    return result("ok", "Success" + injected);
  }
  // ---- end outcome ----------------------------------------------------------------------

  // lead[custom_fields][0][field_value] = …, as the client's PHP wrote them.
  function flatten(value, prefix, rows) {
    if (isObject(value) || Array.isArray(value)) {
      const entries = Object.entries(value);
      if (!entries.length) rows.push([prefix + "[]", ""]);
      for (const [key, item] of entries)
        flatten(item, prefix ? prefix + "[" + key + "]" : key, rows);
    } else {
      rows.push([prefix, value === null ? "" : String(value)]);
    }
    return rows;
  }

  function warningBlock(warning) {
    const accepted = warning.accepted === true;
    return el(
      "li",
      "warning" + (accepted ? " accepted" : ""),
      el("code", "rule", warning.rule),
      accepted ? el("span", "badge accepted", "accepted") : null,
      el("span", "source source-" + warning.source, warning.source),
      el("span", "detail", warning.detail),
      el("span", "reference", "source: " + warning.reference),
    );
  }

  function callElement(entry) {
    const params = isObject(entry.params) ? entry.params : {};
    const result = outcome(entry);
    const warnings = Array.isArray(entry.warnings) ? entry.warnings : [];
    const item = journalItem(
      entry,
      "call" + (result.ok ? "" : " failed " + result.kind) + (result.warnings ? " warned" : ""),
      el("span", "cmd", commands(params)),
      el("span", "subject", subject(params)),
      el("span", "outcome " + (result.ok ? "ok" : result.kind === "partial" ? "partial" : "bad"), result.text),
      result.warnings
        ? el(
            "span",
            "badge warn",
            result.warnings + (result.warnings === 1 ? " warning" : " warnings"),
          )
        : null,
      result.accepted ? el("span", "badge accepted", result.accepted + " accepted") : null,
      entry.fault ? el("span", "badge fault", "fault") : null,
    );
    const body = el("div", "call-body");
    if (warnings.length) {
      body.append(
        el("h4", null, "Contract warnings"),
        el("ul", "warnings", ...warnings.map(warningBlock)),
      );
    }
    if (entry.fault)
      body.append(
        el("h4", null, "Injected fault"),
        el("pre", null, JSON.stringify(entry.fault, null, 2)),
      );
    const table = el("table", "params");
    for (const [name, value] of flatten(params, "", [])) {
      table.append(el("tr", null, el("th", null, name), el("td", null, value)));
    }
    body.append(
      el(
        "h4",
        null,
        "Parameters ",
        el(
          "span",
          "muted",
          entry.method + " " + entry.path + " · account " + (entry.api_key || "—"),
        ),
      ),
      table,
      el(
        "h4",
        null,
        "Response ",
        el(
          "span",
          "muted",
          (entry.status_code === 0 ? "no answer (connection dropped)" : "HTTP " + entry.status_code) +
            " · " +
            entry.duration_ms +
            " ms",
        ),
      ),
      el("pre", "response", JSON.stringify(entry.response, null, 2)),
    );
    item.append(body);
    // Kept for the filters: the text a search looks through.
    item.dataset.search = (
      commands(params) +
      " " +
      JSON.stringify(params) +
      " " +
      result.text
    ).toLowerCase();
    item.dataset.account = String(entry.api_key);
    item.dataset.problem = result.problem ? "yes" : "no";
    return item;
  }

  function applyFilter() {
    const account = $("this-account").checked ? view.account : null;
    const items = [...$("journal").children];
    $("journal-count").textContent = filterItems(
      items,
      $("filter").value,
      $("problems").checked,
      (item) => account === null || item.dataset.account === account,
    );
    const total = items.length;
    // Only once the journal was read: under the token banner there is nothing to say yet.
    $("journal-empty").hidden = total > 0 || !journalRead;
  }

  function addCalls(entries) {
    for (const entry of entries) lastSeq = Math.max(lastSeq, entry.seq);
    // Build only what is kept: a first load may bring a long journal.
    prependNewest($("journal"), entries, callElement, KEEP);
    applyFilter();
  }

  function forgetCalls() {
    lastSeq = 0;
    $("journal").replaceChildren();
  }

  // ---- polling ------------------------------------------------------------------------------
  async function loadState() {
    world = await (await api("state")).json();
    if (!view.account && Array.isArray(world.accounts) && world.accounts.length) {
      view.account = world.accounts[0].api_key;
    }
    renderAccounts();
    renderLeads();
    renderLead();
  }

  async function refresh(force) {
    const response = await api("requests?since=" + lastSeq);
    const seen = response.headers.get("X-Journal-Clears");
    let fresh = (await response.json()).requests;
    if (clears !== null && seen !== clears) {
      forgetCalls();
      fresh = (await (await api("requests")).json()).requests;
    }
    clears = seen;
    journalRead = true;
    addCalls(fresh);
    for (const poll of pollers) await poll();
    polls += 1;
    if (force || fresh.length || world === null || polls % STATE_EVERY === 0) await loadState();
  }

  async function act(work) {
    try {
      await work();
      notice("");
      await refresh(true);
    } catch (error) {
      failed(error);
    }
  }

  function deleteLead(apiKey, lead) {
    if (
      !confirm(
        "Delete lead #" + lead.id + " (" + lead.email + ")? Kartra keeps it, marked deleted.",
      )
    )
      return;
    act(() =>
      api(
        "accounts/" +
          encodeURIComponent(apiKey) +
          "/leads/" +
          encodeURIComponent(lead.id) +
          "/delete",
        {
          method: "POST",
        },
      ),
    );
  }

  function resetAccount() {
    const account = currentAccount();
    if (!account) return;
    if (
      !confirm(
        "Reset account " +
          account.api_key +
          "? Its leads go back to the initial world and its calls leave the journal.",
      )
    )
      return;
    act(() => api("reset?api_key=" + encodeURIComponent(account.api_key), { method: "POST" }));
  }

  function clearJournal() {
    if (!confirm("Forget every recorded call?")) return;
    act(() => api("requests", { method: "DELETE" }));
  }

  async function tick() {
    if (!paused && !document.hidden) {
      try {
        await refresh(false);
        notice("");
        setStatus("live", "live · " + new Date().toLocaleTimeString([], { hour12: false }));
      } catch (error) {
        failed(error);
      }
    }
    setTimeout(tick, POLL_MS);
  }

  // ---- shared with webhooks.js (loaded after this file) -------------------------------------
  // One poll, one status line: what webhooks.js registers runs after the calls, each tick.
  const pollers = [];
  window.kartraInspector = Object.freeze({
    api: api,
    el: el,
    isObject: isObject,
    act: act,
    journalItem: journalItem,
    prependNewest: prependNewest,
    filterItems: filterItems,
    onPoll: (poll) => {
      pollers.push(poll);
    },
  });

  // ---- wiring --------------------------------------------------------------------------------
  function start() {
    readHash();
    window.addEventListener("hashchange", () => {
      readHash();
      if (world) {
        renderAccounts();
        renderLeads();
        renderLead();
        applyFilter();
      }
    });
    $("search").addEventListener("input", renderLeads);
    $("filter").addEventListener("input", applyFilter);
    $("this-account").addEventListener("change", applyFilter);
    $("problems").addEventListener("change", applyFilter);
    $("reset-account").addEventListener("click", resetAccount);
    $("clear-journal").addEventListener("click", clearJournal);
    $("pause").addEventListener("click", () => {
      paused = !paused;
      $("pause").textContent = paused ? "Resume" : "Pause";
      if (paused) setStatus("paused", "paused");
    });
    tick();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
