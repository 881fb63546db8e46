-- expect: ETIME time limit exceeded
-- Clearing weak tables of 256 Ki entries in the atomic phase.
local w = setmetatable({}, { __mode = "kv" })
while true do
	for i = 1, 2^18 do w[i] = {} end
	collectgarbage()
end
