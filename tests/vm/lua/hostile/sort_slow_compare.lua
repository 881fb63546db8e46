-- expect: ETIME time limit exceeded
local t = {}
for i = 1, 1000 do t[i] = i end
table.sort(t, function(a, b) for _ = 1, 1e7 do end return a > b end)
