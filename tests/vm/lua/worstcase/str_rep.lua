-- expect: ETIME time limit exceeded
-- string.rep: one byte, three bytes, with a separator, up to 6 MiB.
while true do
	local r = ("x"):rep(6 * 2^20)
	r = nil
	collectgarbage()
	r = ("abc"):rep(2^21)
	r = nil
	collectgarbage()
	r = ("ab"):rep(2^20, ",")
	r = nil
	collectgarbage()
	r = (""):rep(2^30, "")
	collectgarbage()
end
