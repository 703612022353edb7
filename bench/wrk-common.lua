-- SPDX-License-Identifier: Apache-2.0
-- What the wrk scripts of bench/ share: the same body POSTed on every
-- request, and the done() summary as key=value lines for report.py.
-- A script loads it with dofile() and gets a table of two functions.
--
-- Environment (read once per wrk thread):
--   BENCH_BODY   file holding the request body
--   BENCH_PATH   request path
--   BENCH_OUT    file the done() summary is written to (default: stdout)

local M = {}
local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

-- Every request: POST BENCH_BODY to BENCH_PATH with this content type.
function M.post(content_type)
   local f = assert(io.open(os.getenv("BENCH_BODY"), "rb"))
   local body = f:read("*a")
   f:close()
   wrk.method = "POST"
   wrk.path = os.getenv("BENCH_PATH") or "/"
   wrk.body = body
   wrk.headers["Content-Type"] = content_type
end

-- Sums each thread's "ok", "other" and "codes" and writes the summary;
-- extra(threads, write) may add lines of its own.
function M.done(summary, latency, extra)
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
   local function w(fmt, ...) out:write(string.format(fmt, ...)) end
   w("ok=%d\n", total_ok)
   w("other=%d\n", total_other)
   w("requests=%d\n", summary.requests)
   w("duration_s=%.3f\n", dur)
   w("ok_per_s=%.1f\n", total_ok / dur)
   w("errors_socket=%d\n", summary.errors.connect + summary.errors.read +
      summary.errors.write)
   w("errors_timeout=%d\n", summary.errors.timeout)
   w("lat_p50_ms=%.2f\n", latency:percentile(50) / 1000)
   w("lat_p99_ms=%.2f\n", latency:percentile(99) / 1000)
   w("codes=%s\n", s)
   if extra then extra(threads, w) end
   if out ~= io.stdout then out:close() end
end

return M
