// kartra-mock inspector, the Webhooks tab: the delivery journal (GET /_mock/deliveries).
//
// Every attempt to deliver a webhook or an IPN, newest first: URL, event, HTTP status,
// latency, attempt, error, and the payload when expanded. URLs, payloads and error texts are
// whatever some program configured or sent to /api, so, as in inspector.js, the DOM is built
// with textContent only, never parsed as HTML.
//
// Polled with the calls: inspector.js runs this file's poll after its own, every second;
// deliveries?since=<last seq> brings only new attempts, and the journal is reloaded whole
// when the X-Deliveries-Clears header changes (DELETE /_mock/deliveries, reset).
"use strict";

(() => {
  const KEEP = 500; // attempts kept on the page, newest first
  const TAB_KEY = "kartra-mock-tab";
  const shared = window.kartraInspector;
  if (!shared) return; // inspector.js failed to load: it says so itself
  const { api, el, act, isObject, journalItem, prependNewest, filterItems } = shared;
  const $ = (id) => document.getElementById(id);

  let lastSeq = 0;
  let clears = null;
  let read = false; // whether the delivery journal could be read at all

  // ---- delivery outcome (pure: tests/kartra_mock/server/test_inspector_webhooks.py runs it
  // in node). A receiver's 2xx is a success; any other status, or no answer, is a failure.
  function deliveryOutcome(record) {
    const status = record.status_code;
    const fault = typeof record.fault === "string" && record.fault ? " · " + record.fault : "";
    if (typeof status === "number") {
      const ok = status >= 200 && status < 300;
      return { ok: ok, text: "HTTP " + status + fault };
    }
    const error = typeof record.error === "string" && record.error ? record.error : "no answer";
    return { ok: false, text: error + fault };
  }
  // ---- end delivery outcome

  // The lead a delivery is about: a webhook's lead object, or an IPN's flat lead_email.
  function leadOf(payload) {
    if (isObject(payload.lead) && typeof payload.lead.email === "string") return payload.lead.email;
    if (typeof payload.lead_email === "string") return payload.lead_email;
    return "";
  }

  function rows(pairs) {
    const table = el("table", "params");
    for (const [name, value] of pairs) {
      table.append(el("tr", null, el("th", null, name), el("td", null, value)));
    }
    return table;
  }

  function deliveryElement(record) {
    const payload = isObject(record.payload) ? record.payload : {};
    const result = deliveryOutcome(record);
    const ipn = record.kind === "ipn";
    const lead = leadOf(payload);
    const item = journalItem(
      record,
      "call delivery" + (result.ok ? "" : " failed"),
      el("span", "badge kind " + (ipn ? "ipn" : "webhook"), ipn ? "IPN" : "webhook"),
      el("span", "cmd event", record.event),
      el("span", "subject url", record.url),
      el("span", "outcome " + (result.ok ? "ok" : "bad"), result.text),
      el("span", "latency muted", record.latency_ms + " ms"),
      record.attempt > 1 ? el("span", "badge warn attempt", "attempt " + record.attempt) : null,
    );
    const status = typeof record.status_code === "number" ? "HTTP " + record.status_code : "—";
    const body = el(
      "div",
      "call-body",
      el("h4", null, "Delivery"),
      rows([
        ["url", record.url],
        ["event", record.event + (ipn ? " (IPN transaction_type)" : " (webhook action)")],
        ["account", record.api_key || "—"],
        ["lead", lead || "—"],
        ["status", status],
        ["latency", record.latency_ms + " ms"],
        ["attempt", String(record.attempt)],
        ["error", record.error || "—"],
        ["delivery fault", record.fault || "—"],
      ]),
      el(
        "h4",
        null,
        "Payload ",
        el(
          "span",
          "muted",
          ipn ? "form POST (application/x-www-form-urlencoded)" : "JSON POST (application/json)",
        ),
      ),
      ipn
        ? rows(Object.entries(payload).map(([k, v]) => [k, String(v)]))
        : el("pre", "payload", JSON.stringify(payload, null, 2)),
    );
    item.append(body);
    // Kept for the filter: the text a search looks through.
    item.dataset.search = [record.event, record.url, record.kind, lead, result.text]
      .concat(JSON.stringify(payload))
      .join(" ")
      .toLowerCase();
    item.dataset.problem = result.ok ? "no" : "yes";
    return item;
  }

  function applyFilter() {
    const items = [...$("webhooks").children];
    $("webhooks-count").textContent = filterItems(
      items,
      $("webhook-filter").value,
      $("webhook-problems").checked,
    );
    const total = items.length;
    const failed = items.filter((item) => item.dataset.problem === "yes").length;
    $("webhooks-failed").textContent = failed + " failed";
    $("webhooks-failed").hidden = failed === 0;
    $("webhooks-empty").hidden = total > 0 || !read;
  }

  function add(records) {
    for (const record of records) lastSeq = Math.max(lastSeq, record.seq);
    prependNewest($("webhooks"), records, deliveryElement, KEEP);
    applyFilter();
  }

  async function refresh() {
    const response = await api("deliveries?since=" + lastSeq);
    const seen = response.headers.get("X-Deliveries-Clears");
    let fresh = (await response.json()).deliveries;
    if (clears !== null && seen !== clears) {
      lastSeq = 0;
      $("webhooks").replaceChildren();
      fresh = (await (await api("deliveries")).json()).deliveries;
    }
    clears = seen;
    read = true;
    add(Array.isArray(fresh) ? fresh : []);
  }

  // ---- tabs: Calls | Webhooks (remembered for this tab of the browser) -------------------
  function showTab(name) {
    const webhooks = name === "webhooks";
    $("calls-panel").hidden = webhooks;
    $("webhooks-panel").hidden = !webhooks;
    $("clear-journal").hidden = webhooks;
    $("clear-deliveries").hidden = !webhooks;
    for (const [tab, current] of [
      [$("tab-calls"), !webhooks],
      [$("tab-webhooks"), webhooks],
    ]) {
      tab.classList.toggle("current", current);
      tab.setAttribute("aria-selected", String(current));
    }
    sessionStorage.setItem(TAB_KEY, webhooks ? "webhooks" : "calls");
  }

  $("tab-calls").addEventListener("click", () => showTab("calls"));
  $("tab-webhooks").addEventListener("click", () => showTab("webhooks"));
  $("webhook-filter").addEventListener("input", applyFilter);
  $("webhook-problems").addEventListener("change", applyFilter);
  $("clear-deliveries").addEventListener("click", () => {
    if (!confirm("Forget every recorded webhook and IPN delivery?")) return;
    act(() => api("deliveries", { method: "DELETE" }));
  });
  showTab(sessionStorage.getItem(TAB_KEY) === "webhooks" ? "webhooks" : "calls");
  shared.onPoll(refresh);
})();
