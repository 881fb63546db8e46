-- string.format with 25,000 elements in a hot loop (patch 0044): its
-- recording once overran the IR buffer; now it is not compiled past 100.
local fmt = ("%"):rep(50000)
local r
for _ = 1, 300 do r = fmt:format() end
print(#r, r:sub(1, 4))
local small = ("%d,"):rep(20)
local n = 0
for i = 1, 1000 do n = n + #small:format(i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i) end
print(n)
