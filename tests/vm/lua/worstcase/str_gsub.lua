-- expect: ETIME time limit exceeded
-- gsub over 2 MiB: a 3 MiB result, captures, a function, a table.
local s = ("ab"):rep(2^20)
local t = { a = "xyz" }
while true do
	local r = s:gsub("a", "%0%0")
	r = nil
	collectgarbage()
	r = s:gsub("(a)(b)", t)
	r = nil
	collectgarbage()
end
