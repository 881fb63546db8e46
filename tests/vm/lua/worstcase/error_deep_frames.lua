-- expect: ETIME time limit exceeded
-- Errors thrown at the bottom of the deepest Lua recursion and caught at
-- the top, over and over: each walks every frame twice (the handler
-- search, then the unwinding).
local function down(n) if n == 0 then error("bottom") end return 1 + down(n - 1) end
local function handler(e) return e end
while true do
	pcall(down, 1e7)
	xpcall(down, handler, 1e7)
end
