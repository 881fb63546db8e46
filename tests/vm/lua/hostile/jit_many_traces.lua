-- expect: ok
-- limits: -t 5000
-- Hundreds of distinct hot loops: more traces than LuaJIT keeps (maxtrace,
-- lowered to 100), so it flushes them all and starts again, many times.
-- It must finish its work, which in the ordinary (emulated) guest on a
-- busy host once took longer than the suites' 1 s: it gets the module's
-- default cap, 5 s.
jit.opt.start("maxtrace=100")
local total = 0
for k = 1, 500 do
  local f = load("local s = 0 for i = 1, 120 do s = s + i * " .. k .. " end return s")
  total = total + f()
end
print(total > 0 and "ok" or "bad")
