-- expect: ETIME time limit exceeded
-- upper, lower, reverse of 4 MiB.
local s = ("aB"):rep(2^21)
while true do
	local r = s:upper()
	r = nil
	collectgarbage()
	r = s:lower()
	r = nil
	collectgarbage()
	r = s:reverse()
	r = nil
	collectgarbage()
end
