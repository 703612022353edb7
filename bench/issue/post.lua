-- SPDX-License-Identifier: Apache-2.0
-- wrk script: POST the same JSON body on every request and count the
-- response statuses, so the caller can compare "201 Created" with the
-- number of rows the server stored.
--
-- Environment (read once per wrk thread):
--   BENCH_BODY   file holding the request body (JSON)
--   BENCH_AUTH   value of the Authorization header ("" = none)
--   BENCH_PATH   request path
--   BENCH_OUT    file the done() summary is written to (key=value lines)

-- bench/wrk-common.lua, next to this script's directory.
local common = dofile((debug.getinfo(1, "S").source:match("^@(.*)/[^/]+/[^/]+$") or ".")
   .. "/wrk-common.lua")

function init(args)
   common.post("application/json")
   local auth = os.getenv("BENCH_AUTH") or ""
   if auth ~= "" then
      wrk.headers["Authorization"] = auth
   end
   ok, other = 0, 0
   codes = {}
end

function response(status, headers, body)
   if status == 201 or status == 200 then
      ok = ok + 1
   else
      other = other + 1
   end
   codes[status] = (codes[status] or 0) + 1
end

function done(summary, latency, requests)
   common.done(summary, latency)
end
