-- wrk script: POST the same DER OCSP request on every request and count
-- the answers: "ok" only for HTTP 200 carrying an OCSPResponse whose
-- responseStatus is successful (0); anything else counts as "other"
-- (by HTTP status, or "ocsp<N>" for a 200 with OCSP responseStatus N).
--
-- Environment (read once per wrk thread):
--   BENCH_BODY   file holding the DER OCSPRequest
--   BENCH_PATH   request path (/ocsp, or / for responders that take any)
--   BENCH_OUT    file the done() summary is written to (key=value lines)
--   BENCH_AUTH   ignored (kept for the shared run_wrk helper)

local threads = {}

-- wrk's default resolve() opens and closes a probe connection before the
-- run.  `openssl ocsp -port` (OpenSSL 3.0) then spins for good on that
-- closed connection and answers nobody (openssl/openssl#31129), so
-- resolve without probing; a wrong address still fails the run.
function wrk.resolve(host, service)
   wrk.addrs = wrk.lookup(host, service)
end

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
   wrk.headers["Content-Type"] = "application/ocsp-request"
   ok, other, bytes = 0, 0, 0
   codes = {}
end

-- responseStatus of a DER OCSPResponse: SEQUENCE { ENUMERATED, ... }.
local function ocsp_status(body)
   if body == nil or #body < 5 or body:byte(1) ~= 0x30 then return nil end
   local l = body:byte(2)
   local p = 3
   if l >= 0x80 then p = 3 + (l - 0x80) end
   if body:byte(p) ~= 0x0a or body:byte(p + 1) ~= 0x01 then return nil end
   return body:byte(p + 2)
end

function response(status, headers, body)
   local key = status
   if status == 200 then
      local s = ocsp_status(body)
      if s == 0 then
         ok = ok + 1
         bytes = #body
      else
         other = other + 1
         key = "ocsp" .. tostring(s)
      end
   else
      other = other + 1
   end
   codes[key] = (codes[key] or 0) + 1
end

function done(summary, latency, requests)
   local total_ok, total_other, resp_bytes = 0, 0, 0
   local all = {}
   for _, t in ipairs(threads) do
      total_ok = total_ok + t:get("ok")
      total_other = total_other + t:get("other")
      local b = t:get("bytes")
      if b and b > 0 then resp_bytes = b end
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
   out:write(string.format("errors_status=%d\n", summary.errors.status))
   out:write(string.format("errors_timeout=%d\n", summary.errors.timeout))
   out:write(string.format("lat_p50_ms=%.2f\n", latency:percentile(50) / 1000))
   out:write(string.format("lat_p99_ms=%.2f\n", latency:percentile(99) / 1000))
   out:write(string.format("resp_bytes=%d\n", resp_bytes))
   out:write(string.format("codes=%s\n", s))
   if out ~= io.stdout then out:close() end
end
