// Create a lead, find it, tag it and subscribe it in one chain, then see the duplicate refused:
// kartra-mock's /api called with Node's global fetch (Node 18+) and a PHP-style form body.
//
//   node examples/node/create_and_search.mjs [BASE_URL]   (default http://127.0.0.1:8765)
//
// Exits 1 on any answer other than the expected one.
import { randomBytes } from "node:crypto";

const base = process.argv[2] ?? process.env.KARTRA_MOCK_URL ?? "http://127.0.0.1:8765";
const credentials = { app_id: "demo-app", api_key: "demo-key", api_password: "demo-password" };

async function kartra(fields) {
  // Kartra reads PHP's bracket syntax: lead[email]=…&actions[0][cmd]=create_lead
  const body = new URLSearchParams({ ...credentials, ...fields });
  const response = await fetch(`${base}/api`, { method: "POST", body });
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    fail(`not a JSON answer (HTTP ${response.status}): ${text}`);
  }
}

function fail(why) {
  console.error(`unexpected: ${why}`);
  process.exit(1);
}

function expect(ok, what, answer) {
  if (!ok) fail(`${what}: ${JSON.stringify(answer)}`);
  console.log(`${what}: ${JSON.stringify(answer)}`);
}

// A new address each run, so the example can run again against the same server.
const email = `ada.${randomBytes(4).toString("hex")}@example.com`;

const created = await kartra({
  "lead[email]": email,
  "lead[first_name]": "Ada",
  "actions[0][cmd]": "create_lead",
});
const id = created.actions?.[0]?.create_lead?.lead_details?.id;
expect(created.status === "Success" && id !== undefined, "create_lead", created);

const found = await kartra({ "lead[email]": email.toUpperCase(), "actions[0][cmd]": "search_lead" });
expect(found.message === "Lead found" && found.lead_details?.id === id, "search_lead", found);

const chain = await kartra({
  "lead[id]": id,
  "actions[0][cmd]": "assign_tag",
  "actions[0][tag_name]": "Customer",
  "actions[1][cmd]": "subscribe_lead_to_list",
  "actions[1][list_name]": "Newsletter",
});
expect(
  chain.status === "Success" &&
    chain.actions?.[0]?.assign_tag?.type === "103" &&
    chain.actions?.[1]?.subscribe_lead_to_list?.type === "101",
  "assign_tag + subscribe_lead_to_list",
  chain,
);

const again = await kartra({ "lead[email]": email, "actions[0][cmd]": "create_lead" });
expect(again.status === "Error" && again.type === "244", "create_lead again", again);
