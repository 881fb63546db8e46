-- expect: ETIME time limit exceeded
-- load() of 512 Ki tokens folded into one constant, and of 64 Ki
-- statements with 32 Ki constants.
local sum = "return " .. ("1+"):rep(2^18) .. "1"
local t = {}
for i = 1, 2^15 do t[i] = "x = " .. i + 0.5 .. "\n" end
local stmts = table.concat(t) .. ("y = x\n"):rep(2^15)
t = nil
while true do
	local f = assert(load(sum))
	f = nil
	collectgarbage()
	f = assert(load(stmts))
	f = nil
	collectgarbage()
end
