-- wrk script: POST the same JSON body on every request and count the
-- response statuses, so the caller can compare "201 Created" with the
-- number of rows the server stored.
--
-- Environment (read once per wrk thread):
--   BENCH_BODY   file holding the request body (JSON)
--   BENCH_AUTH   value of the Authorization header ("" = none)
--   BENCH_PATH   request path
--   BENCH_OUT    file the done() summary is written to (key=value lines)

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   local f = assert(io.open(os.getenv("BENCH_BODY"), "rb"))
   local body = f:read("*a")
   f:close()
   wrk.method = "POST"
   wrk.path = os.getenv("BENCH_PATH") or "/"
   wrk.body = body
   wrk.headers["Content-Type"] = "application/json"
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
   local total_ok, total_other = 0, 0
   local all = {}
   for _, t in ipairs(threads) do
      total_ok = total_ok + t:get("ok")
      total_other = total_other + t:get("other")
      local c = t:get("codes")
      if c then
         for k, v in pairs(c) do all[k] = (all[k] or 0) + v end
      end
   end
   local s = ""
   for k, v in pairs(all) do s = s .. k .. ":" .. v .. " " end
   local dur = summary.duration / 1e6
   local out = io.stdout
   local path = os.getenv("BENCH_OUT")
   if path and path ~= "" then out = assert(io.open(path, "w")) end
   out:write(string.format("ok=%d\n", total_ok))
   out:write(string.format("other=%d\n", total_other))
   out:write(string.format("requests=%d\n", summary.requests))
   out:write(string.format("duration_s=%.3f\n", dur))
   out:write(string.format("ok_per_s=%.1f\n", total_ok / dur))
   out:write(string.format("errors_socket=%d\n", summary.errors.connect +
      summary.errors.read + summary.errors.write))
   out:write(string.format("errors_timeout=%d\n", summary.errors.timeout))
   out:write(string.format("lat_p50_ms=%.2f\n", latency:percentile(50) / 1000))
   out:write(string.format("lat_p99_ms=%.2f\n", latency:percentile(99) / 1000))
   out:write(string.format("codes=%s\n", s))
   if out ~= io.stdout then out:close() end
end
