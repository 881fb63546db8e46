-- expect: ENOMEM not enough memory
local t = {}
for i = 1, 2^20 do t[i] = "0123456789abcdef" end
local s = table.concat(t, table.concat(t))
