-- expect: EINVAL stack overflow
-- Recursion that compiles (up-recursion traces) until Lua's stack is full.
local function down(n) if n == 0 then return 0 end return 1 + down(n - 1) end
for i = 1, 100 do down(100) end
down(1e7)
