-- expect: ETIME time limit exceeded
-- table.insert and table.remove at the front of 512 Ki elements.
local t = {}
for i = 1, 2^19 do t[i] = i end
while true do
	table.insert(t, 1, 0)
	table.remove(t, 1)
end
