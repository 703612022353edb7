-- SPDX-License-Identifier: Apache-2.0
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

-- bench/wrk-common.lua, next to this script's directory.
local common = dofile((debug.getinfo(1, "S").source:match("^@(.*)/[^/]+/[^/]+$") or ".")
   .. "/wrk-common.lua")

-- wrk's default resolve() opens and closes a probe connection before the
-- run.  `openssl ocsp -port` (OpenSSL 3.0) then spins for good on that
-- closed connection and answers nobody (openssl/openssl#31129), so
-- resolve without probing; a wrong address still fails the run.
function wrk.resolve(host, service)
   wrk.addrs = wrk.lookup(host, service)
end

function init(args)
   common.post("application/ocsp-request")
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
   common.done(summary, latency, function(threads, w)
      local resp_bytes = 0
      for _, t in ipairs(threads) do
         local b = t:get("bytes")
         if b and b > 0 then resp_bytes = b end
      end
      w("errors_status=%d\n", summary.errors.status)
      w("resp_bytes=%d\n", resp_bytes)
   end)
end
