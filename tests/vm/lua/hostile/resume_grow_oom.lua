-- expect: ok
-- Resuming a coroutine grows its stack for the arguments; at the memory
-- limit that growth failed inside the coroutine, which has no C frame to
-- unwind to: LuaJIT called exit(), a kernel panic. The error now reaches
-- the caller.
local co = coroutine.create(function() while true do coroutine.yield() end end)
coroutine.resume(co)
local args = {}
for i = 1, 250 do args[i] = i end
-- Out of memory anywhere in here (unpack's results too) is fine.
pcall(function()
  local hog = {}
  pcall(function() while true do hog[#hog + 1] = { 1, 2, 3, 4 } end end)
  for _ = 1, 3 do
    for n = 1, 250, 7 do pcall(coroutine.resume, co, unpack(args, 1, n)) end
    hog[#hog] = nil
  end
end)
collectgarbage()
-- co may have died of it; coroutines work again once memory is back.
local ok, n = coroutine.resume(coroutine.create(function(...) return select("#", ...) end),
                               unpack(args))
assert(ok and n == 250)
