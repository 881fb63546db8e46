local function f(n) return n + 1 end
local x = 0
while true do x = f(x) end
