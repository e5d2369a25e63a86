-- wrk script: the realistic /api mix of the HTTP benchmark (benchmarks/http_load.py).
--
-- Arguments (after "--"): a run nonce, so that repeated runs against one server never
-- repeat an email; the number of seeded leads (seed-1@example.com .. seed-N@example.com)
-- that edit_lead and search_lead pick from. Each wrk thread has its own Lua state, its
-- own counter and its own random stream.
--
-- Mix (per request): 70 % create_lead with a unique email, 12 % edit_lead and 12 %
-- search_lead on a seeded lead, 6 % a chain (create_lead + assign_tag +
-- subscribe_lead_to_list). Bodies are encoded as PHP's http_build_query writes them
-- (brackets percent-encoded), which is what real Kartra clients send.

local counter = 0
local nonce = "r"
local seeded = 1000
-- Globals, because wrk's thread:set()/thread:get() read and write a thread's globals.
thread_id = 0
answers = 0
errors = 0
local threads = {}
local next_thread = 0

local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
local credentials = "app_id=demo-app&api_key=demo-key&api_password=demo-password"

function setup(thread)
   next_thread = next_thread + 1
   thread:set("thread_id", next_thread)
   table.insert(threads, thread)
end

function init(args)
   nonce = args[1] or nonce
   seeded = tonumber(args[2] or seeded)
   math.randomseed(thread_id * 7919 + #nonce)
end

local function create_body(chain)
   counter = counter + 1
   local email = "b" .. nonce .. "-t" .. thread_id .. "-" .. counter .. "%40example.com"
   local body = credentials
      .. "&lead%5Bemail%5D=" .. email
      .. "&lead%5Bfirst_name%5D=Ada&lead%5Blast_name%5D=Lovelace"
      .. "&actions%5B0%5D%5Bcmd%5D=create_lead"
   if chain then
      body = body
         .. "&actions%5B1%5D%5Bcmd%5D=assign_tag&actions%5B1%5D%5Btag_name%5D=Customer"
         .. "&actions%5B2%5D%5Bcmd%5D=subscribe_lead_to_list"
         .. "&actions%5B2%5D%5Blist_name%5D=Newsletter"
   end
   return body
end

local function seeded_email()
   return "seed-" .. math.random(1, seeded) .. "%40example.com"
end

function request()
   local roll = math.random(100)
   local body
   if roll <= 70 then
      body = create_body(false)
   elseif roll <= 82 then
      counter = counter + 1
      body = credentials .. "&lead%5Bemail%5D=" .. seeded_email()
         .. "&lead%5Bfirst_name%5D=Grace" .. counter
         .. "&actions%5B0%5D%5Bcmd%5D=edit_lead"
   elseif roll <= 94 then
      body = credentials .. "&lead%5Bemail%5D=" .. seeded_email()
         .. "&actions%5B0%5D%5Bcmd%5D=search_lead"
   else
      body = create_body(true)
   end
   return wrk.format("POST", "/api", headers, body)
end

function response(status, headers, body)
   answers = answers + 1
   if status ~= 200 or string.find(body, '"status":"Error"', 1, true) then
      errors = errors + 1
   end
end

function done(summary, latency, requests)
   local total_answers = 0
   local total_errors = 0
   for _, thread in ipairs(threads) do
      total_answers = total_answers + thread:get("answers")
      total_errors = total_errors + thread:get("errors")
   end
   -- One machine-readable line for the harness; latencies in microseconds.
   io.write(string.format(
      "BENCH requests=%d duration_us=%d errors_socket=%d errors_answer=%d answers=%d "
         .. "p50=%d p90=%d p99=%d max=%d\n",
      summary.requests, summary.duration,
      summary.errors.connect + summary.errors.read + summary.errors.write
         + summary.errors.timeout + summary.errors.status,
      total_errors, total_answers,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
