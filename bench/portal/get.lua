-- SPDX-License-Identifier: Apache-2.0
-- wrk script for bench/portal: GET a portal page as one of many logged-in
-- users and count the answers by status (only 200 is a page; a 303 to the
-- login page means a session was refused).
--
-- Environment (read once per wrk thread):
--   BENCH_PATH     request path; a trailing "{id}" is replaced on every
--                  request by an id drawn at random from BENCH_IDS
--   BENCH_IDS      file of ids, one a line (only with "{id}")
--   BENCH_COOKIES  file of session ids, one a line ("" = no cookie)
--   BENCH_THREADS  wrk's -t: thread k of T takes the sessions k, k+T, ...
--                  and sends them in turn, so all of them are in use
--   BENCH_OUT      file the done() summary is written to (key=value lines)

local common = dofile((debug.getinfo(1, "S").source:match("^@(.*)/[^/]+/[^/]+$") or ".")
   .. "/wrk-common.lua")

local common_setup = setup
local nthreads = 0
function setup(thread)
   common_setup(thread)
   thread:set("tid", nthreads)
   nthreads = nthreads + 1
end

local function lines(path)
   local t = {}
   if path == nil or path == "" then return t end
   for l in io.lines(path) do
      if l ~= "" then table.insert(t, l) end
   end
   return t
end

function init(args)
   local all = lines(os.getenv("BENCH_COOKIES"))
   local T = tonumber(os.getenv("BENCH_THREADS") or "1")
   mine = {}
   for i, c in ipairs(all) do
      if (i - 1) % T == tid then table.insert(mine, c) end
   end
   path = os.getenv("BENCH_PATH") or "/"
   prefix = path:match("^(.*){id}$")
   ids = prefix and lines(os.getenv("BENCH_IDS")) or nil
   math.randomseed(os.time() * 100 + tid)
   ci = 0
   ok, other = 0, 0
   codes = {}
end

function request()
   local p = path
   if ids then p = prefix .. ids[math.random(#ids)] end
   local h = {}
   if #mine > 0 then
      ci = ci % #mine + 1
      h["Cookie"] = "sertel_sesi=" .. mine[ci]
   end
   return wrk.format("GET", p, h)
end

function response(status, headers, body)
   if status == 200 then
      ok = ok + 1
   else
      other = other + 1
   end
   codes[status] = (codes[status] or 0) + 1
end

function done(summary, latency, requests)
   common.done(summary, latency)
end
