-- expect: ETIME time limit exceeded
-- 64 Ki userdata with __gc finalized in one full collection, in a loop.
local mt
local function make(n)
	for _ = 1, n do
		local p = newproxy(true)
		getmetatable(p).__gc = function() end
	end
end
while true do
	make(2^16)
	collectgarbage()
end
