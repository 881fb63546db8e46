-- expect: ETIME time limit exceeded
-- Full collections over about 8 MiB: one table of 512 Ki slots, 64 Ki small
-- tables and 64 Ki strings, all reachable; then the same as garbage.
local big = {}
for i = 1, 2^19 do big[i] = i end
local small = {}
for i = 1, 2^16 do small[i] = { i } end
local strs = {}
for i = 1, 2^16 do strs[i] = "s" .. i end
for _ = 1, 4 do collectgarbage() end
big, small, strs = nil, nil, nil
collectgarbage()
while true do
	local g = {}
	for i = 1, 2^17 do g[i] = { i } end
	g = nil
	collectgarbage()
end
