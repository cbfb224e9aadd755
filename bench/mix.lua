-- wrk script: a realistic mix of what CM sends, every body distinct except deliberate retries.
--   MO JSON of several channels (70%), XML status reports (15%), JSON status reports (10%), retries of a small
--   set of bodies (5%, duplicates after their first delivery).
-- Each thread counts statuses; done() prints one JSON line the harness parses:
--   BENCH {"requests":…,"status":{"200":…},"p50_ms":…,"p99_ms":…,"p999_ms":…}
-- Environment (read through os.getenv): BENCH_PREFIX (default /cm), BENCH_RUN (a run id keeping bodies unique
-- across runs against one database), BENCH_PATH (fixed path, e.g. /healthz, for the no-database baseline).

local prefix = os.getenv("BENCH_PREFIX") or "/cm"
local run = os.getenv("BENCH_RUN") or tostring(os.time())
local fixed_path = os.getenv("BENCH_PATH")
local threads = {}
local counter = 0
local thread_id = 0
statuses = {}

function setup(thread)
   thread_id = thread_id + 1
   thread:set("tid", thread_id)
   table.insert(threads, thread)
end

function init(args)
   statuses = {}
   math.randomseed(os.time() + (tid or 0) * 7919)
end

local channels = {
   {name = "WhatsApp", from = "+3161234", text = "Hello, is my order on its way?", media = ""},
   {name = "SMS", from = "00316987", text = "STOP", media = ""},
   {name = "Apple Business Chat", from = "urn:mbid:AQAAY", text = "I need help with my invoice", media = ""},
   {name = "Instagram", from = "17841400", text = "", media = "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1"},
   {name = "RCS", from = "00316555", text = "Call me back please", media = ""},
}

local function mo(n)
   local c = channels[(n % #channels) + 1]
   local media = ""
   if c.media ~= "" then
      media = string.format('{"mediaUri":"%s&n=%s-%d-%d","contentType":"image/jpeg","title":"photo.jpg"}', c.media, run, tid, n)
   else
      media = '{"mediaUri":"","contentType":"","title":""}'
   end
   return "/mo", "application/json", string.format(
      '{"from":{"number":"%s%06d","name":"Customer %d"},"to":{"number":"0031612345678"},' ..
      '"message":{"text":"%s (%s-%d-%d)","media":%s,"custom":{}},"reference":"%s-%d-%d",' ..
      '"groupings":["","",""],"timeUtc":"2026-11-22T10:%02d:%02d","channel":"%s"}',
      c.from, n % 1000000, n, c.text, run, tid, n, media, run, tid, n, n % 60, (n * 7) % 60, c.name)
end

local function xml_status(n)
   return "/status", "text/xml", string.format(
      '<?xml version="1.0"?><MESSAGES><MSG RECEIVED="2026-11-22T10:%02d:%02d"><TO>0031612%06d</TO>' ..
      '<REFERENCE>%s-%d-%d</REFERENCE><STATUS><CODE>%d</CODE><ERRORCODE></ERRORCODE><ERRORDESCRIPTION></ERRORDESCRIPTION>' ..
      '</STATUS><OPERATOR>20416</OPERATOR></MSG></MESSAGES>', n % 60, (n * 7) % 60, n % 1000000, run, tid, n, n % 5)
end

local function json_status(n)
   return "/status", "application/json", string.format(
      '{"messages":{"msg":{"received":"2026-11-22T10:%02d:%02d","to":"0031612%06d","reference":"%s-%d-%d",' ..
      '"status":{"code":"%d","errorCode":"","errorDescription":""},"operator":"20416"}}}',
      n % 60, (n * 7) % 60, n % 1000000, run, tid, n, n % 5)
end

local function retry(n)
   -- The same 16 bodies over and over: CM's retries of something already stored.
   local k = n % 16
   return "/mo", "application/json", string.format(
      '{"from":{"number":"+31600000%03d"},"to":{"number":"0031612345678"},"message":{"text":"retry %d"},' ..
      '"reference":"retry-%s-%d","groupings":["","",""],"timeUtc":"2026-11-22T10:00:00","channel":"SMS"}', k, k, run, k)
end

function request()
   if fixed_path then
      return wrk.format("GET", fixed_path)
   end
   counter = counter + 1
   local roll = math.random(100)
   local path, ctype, body
   if roll <= 70 then path, ctype, body = mo(counter)
   elseif roll <= 85 then path, ctype, body = xml_status(counter)
   elseif roll <= 95 then path, ctype, body = json_status(counter)
   else path, ctype, body = retry(counter) end
   return wrk.format("POST", prefix .. path,
      {["Content-Type"] = ctype, ["X-Forwarded-For"] = "31.169.56.10"}, body)
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
   local merged = {}
   for _, thread in ipairs(threads) do
      local s = thread:get("statuses") or {}
      for code, count in pairs(s) do merged[code] = (merged[code] or 0) + count end
   end
   local parts = {}
   for code, count in pairs(merged) do table.insert(parts, string.format('"%d":%d', code, count)) end
   io.write(string.format(
      'BENCH {"requests":%d,"duration_s":%.3f,"socket_errors":%d,"status":{%s},"p50_ms":%.3f,"p99_ms":%.3f,"p999_ms":%.3f}\n',
      summary.requests, summary.duration / 1e6,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
      table.concat(parts, ","), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
      latency:percentile(99.9) / 1000))
end
