-- expect: ETIME time limit exceeded
-- Open upvalues by the hundred thousand: coroutines suspended in a frame
-- whose 100 locals closures captured. Every full collection marks them all
-- in its atomic phase; an error in each coroutine then closes them.
local src = {}
for i = 1, 100 do src[#src + 1] = ("local v%d = %d"):format(i, i) end
for i = 1, 100 do src[#src + 1] = ("local c%d = function() return v%d end"):format(i, i) end
src[#src + 1] = "coroutine.yield() error('closing')"
local body = assert(load(table.concat(src, "\n")))
local threads = {}
for i = 1, 1000 do
	local co = coroutine.create(body)
	coroutine.resume(co)
	threads[i] = co
end
for _ = 1, 3 do collectgarbage() end
for i = 1, #threads do coroutine.resume(threads[i]) end
while true do collectgarbage() end
