-- expect: ETIME time limit exceeded
-- maxn over a 256 Ki-node hash part; unpack at the C stack's limit;
-- concat of 512 Ki strings with a separator.
local h = {}
for i = 1, 2^18 do h[i + 0.5] = i end
local t = {}
for i = 1, 2^19 do t[i] = "ab" end
local n = 0
while true do
	n = n + table.maxn(h)
	n = n + select("#", unpack(t, 1, 7000))
	n = n + #table.concat(t, ",")
	collectgarbage()
end
