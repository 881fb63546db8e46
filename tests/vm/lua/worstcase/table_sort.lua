-- expect: ETIME time limit exceeded
-- table.sort of 512 Ki numbers, then of sorted and reversed input.
local t = {}
local n = 2^19
for i = 1, n do t[i] = (i * 7919) % n end
table.sort(t)
table.sort(t, function(a, b) return a > b end)
while true do table.sort(t) end
